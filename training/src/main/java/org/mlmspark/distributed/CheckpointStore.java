package org.mlmspark.distributed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mlmspark.storage.AtomicOutput;

/**
 * Numbered checkpoints in a directory every rank can read (local, HDFS, S3A: any Hadoop file system). A
 * checkpoint is one file, {@code step-000000000400.ckpt}, written under a temporary name and renamed when
 * complete ({@link AtomicOutput#writeFile}), so a rank killed mid-write never leaves a file that
 * {@link #latestStep()} would pick. The newest {@value #KEEP} are kept.
 *
 * <p>Serializable: the driver creates it with its Hadoop configuration, the ranks use it.
 */
public final class CheckpointStore implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int KEEP = 2;
  private static final String NAME_FORMAT = "step-%012d";
  private static final Pattern NAME = Pattern.compile("step-(\\d{12})\\.ckpt");

  /** Writes the checkpoint's bytes. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Reads a checkpoint's bytes back. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(InputStream in) throws IOException;
  }

  private final String directory;
  private final Map<String, String> hadoopConf;
  private transient FileSystem fs;

  private CheckpointStore(String directory, Map<String, String> hadoopConf) {
    this.directory = directory;
    this.hadoopConf = hadoopConf;
  }

  /**
   * A store in {@code directory} (a path or URI; a relative path is made absolute here, on the driver, so that
   * executors do not resolve it against their own working directories), reached with {@code conf} on
   * whichever JVM uses it.
   */
  public static CheckpointStore at(String directory, Configuration conf) {
    Map<String, String> settings = new HashMap<>();
    conf.forEach(e -> settings.put(e.getKey(), e.getValue()));
    try {
      Path path = new Path(directory);
      return new CheckpointStore(path.getFileSystem(conf).makeQualified(path).toString(), settings);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the checkpoint directory " + directory, e);
    }
  }

  public String directory() {
    return directory;
  }

  /** The newest complete checkpoint's step, if any. */
  public OptionalLong latestStep() {
    List<Long> steps = steps();
    return steps.isEmpty() ? OptionalLong.empty() : OptionalLong.of(steps.get(steps.size() - 1));
  }

  /**
   * Writes the checkpoint of {@code step} and then deletes all but the newest {@value #KEEP}. A checkpoint of
   * the same step already present is left as it is: a deterministic run writes the same bytes at the same step
   * (e.g. a rank of a failed stage attempt that was still finishing its write).
   */
  public void save(long step, Writer writer) {
    Path target = file(step);
    Path temporary = AtomicOutput.uniqueTemporary(new Path(directory), "_writing-" + NAME_FORMAT.formatted(step));
    try {
      FileSystem fileSystem = fileSystem();
      AtomicOutput.writeFile(fileSystem, target, temporary, false, writer::write);
      List<Long> steps = steps();
      for (long old : steps.subList(0, Math.max(0, steps.size() - KEEP))) {
        fileSystem.delete(file(old), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + target, e);
    }
  }

  public <T> T load(long step, Reader<T> reader) {
    Path source = file(step);
    try (InputStream in = fileSystem().open(source)) {
      return reader.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + source, e);
    }
  }

  private Path file(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("checkpoint steps are not negative, got " + step);
    }
    return new Path(directory, NAME_FORMAT.formatted(step) + ".ckpt");
  }

  private List<Long> steps() {
    try {
      FileSystem fileSystem = fileSystem();
      Path dir = new Path(directory);
      List<Long> steps = new ArrayList<>();
      if (!fileSystem.exists(dir)) {
        return steps;
      }
      for (FileStatus status : fileSystem.listStatus(dir)) {
        Matcher m = NAME.matcher(status.getPath().getName());
        if (m.matches()) {
          steps.add(Long.parseLong(m.group(1)));
        }
      }
      steps.sort(null);
      return steps;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + directory, e);
    }
  }

  private FileSystem fileSystem() throws IOException {
    if (fs == null) {
      Configuration conf = new Configuration(false);
      hadoopConf.forEach(conf::set);
      fs = FileSystem.get(URI.create(directory), conf);
    }
    return fs;
  }
}
