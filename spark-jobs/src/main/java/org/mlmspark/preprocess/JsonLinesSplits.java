package org.mlmspark.preprocess;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CodecPool;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.io.compress.Decompressor;
import org.mlmspark.spark.TaskFailures;
import org.mlmspark.storage.BoundedLineReader;
import org.mlmspark.storage.InputFiles.InputFile;

/**
 * JSON-lines input read in bounded memory: each file cut into splits (a compressed file is one split), the
 * splits grouped into Spark partitions, and each split's lines read by a {@link BoundedLineReader}, so a line
 * longer than the record limit is measured and reported, never held whole. A line belongs to the split in which
 * it starts, as in Hadoop's line reader; blank lines (spaces only) are skipped.
 */
final class JsonLinesSplits {
  /** A byte range of one file; {@code end} is Long.MAX_VALUE for a whole (compressed) file. */
  record Split(String file, long start, long end) implements Serializable {}

  private JsonLinesSplits() {}

  /**
   * Consecutive splits of the files, grouped so each partition holds about {@code splitBytes} (Spark's
   * {@code spark.sql.files.maxPartitionBytes}).
   */
  static List<List<Split>> partitions(List<InputFile> files, Configuration conf, long splitBytes) {
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    List<List<Split>> partitions = new ArrayList<>();
    List<Split> current = new ArrayList<>();
    long currentBytes = 0;
    for (InputFile file : files) {
      boolean whole = codecs.getCodec(new Path(file.uri())) != null || file.size() == 0;
      long step = whole ? Math.max(file.size(), 1) : splitBytes;
      for (long start = 0; start < Math.max(file.size(), 1); start += step) {
        long end = whole ? Long.MAX_VALUE : Math.min(start + step, file.size());
        if (!current.isEmpty() && currentBytes + Math.min(step, file.size() - start) > splitBytes) {
          partitions.add(current);
          current = new ArrayList<>();
          currentBytes = 0;
        }
        current.add(new Split(file.uri(), start, end));
        currentBytes += Math.min(step, file.size() - start);
      }
    }
    if (!current.isEmpty()) {
      partitions.add(current);
    }
    return partitions;
  }

  /** The Hadoop settings executors need to open the files (S3A credentials and endpoints among them). */
  static Map<String, String> settings(Configuration conf) {
    Map<String, String> settings = new HashMap<>();
    conf.forEach(e -> settings.put(e.getKey(), e.getValue()));
    return settings;
  }

  /** The lines of the splits in order, each as a {@link Selector.Line}. */
  static Iterator<Selector.Line> lines(List<Split> splits, Map<String, String> settings, int maxLineBytes) {
    Configuration conf = new Configuration(false);
    settings.forEach(conf::set);
    return new Iterator<>() {
      private final Iterator<Split> remaining = splits.iterator();
      private Split split;
      private BoundedLineReader reader;
      private Decompressor decompressor;
      private Selector.Line next;

      @Override
      public boolean hasNext() {
        try {
          while (next == null) {
            if (reader == null) {
              if (!remaining.hasNext()) {
                return false;
              }
              open(remaining.next());
            }
            BoundedLineReader.Line line = reader.position() <= split.end() ? reader.next() : null;
            if (line == null) {
              closeReader();
            } else if (!blank(line.bytes()) || line.tooLong()) {
              byte[] record = withoutByteOrderMark(line);
              next = new Selector.Line(split.file(), split.start(), record,
                  line.length() - (line.bytes().length - record.length));
            }
          }
          return true;
        } catch (IOException e) {
          throw new TaskFailures.FileFailure("reading", split.file(), e);
        }
      }

      @Override
      public Selector.Line next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Selector.Line line = next;
        next = null;
        return line;
      }

      private void open(Split s) throws IOException {
        split = s;
        Path path = new Path(s.file());
        FSDataInputStream raw = path.getFileSystem(conf).open(path);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        InputStream in = raw;
        if (codec != null) {
          decompressor = CodecPool.getDecompressor(codec);
          in = codec.createInputStream(raw, decompressor);
        } else {
          raw.seek(s.start());
        }
        reader = new BoundedLineReader(in, s.start(), maxLineBytes);
        if (s.start() > 0) {
          reader.skipLine();
        }
      }

      private void closeReader() throws IOException {
        try {
          reader.close();
        } finally {
          reader = null;
          if (decompressor != null) {
            CodecPool.returnDecompressor(decompressor);
            decompressor = null;
          }
        }
      }
    };
  }

  private static boolean blank(byte[] line) {
    for (byte b : line) {
      if (b != ' ') {
        return false;
      }
    }
    return true;
  }

  /** A UTF-8 byte order mark at the start of a file is not part of its first record (Hadoop drops it too). */
  private static byte[] withoutByteOrderMark(BoundedLineReader.Line line) {
    byte[] b = line.bytes();
    if (line.offset() == 0 && b.length >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF) {
      return java.util.Arrays.copyOfRange(b, 3, b.length);
    }
    return b;
  }
}
