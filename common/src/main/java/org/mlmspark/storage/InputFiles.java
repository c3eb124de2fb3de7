package org.mlmspark.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.mlmspark.support.Hashing;

/**
 * The input files named by {@code --input} values (files, directories, globs; any Hadoop file system), in input
 * order: sorted by path. Listing happens on the driver before Spark starts, so a missing input is reported at
 * once, and the list doubles as the run's input fingerprint.
 */
public final class InputFiles {
  /**
   * What a file holds, by its name: Parquet, JSON lines or plain text lines (both optionally compressed, e.g.
   * {@code .json.gz}).
   */
  public enum Format {
    JSON_LINES(".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz", ".ndjson.gz", ".jsonl.bz2", ".json.bz2",
        ".jsonl.zst", ".json.zst"),
    PARQUET(".parquet"),
    /** One record per line; only for jobs that ask for it (see {@link #list(List, Set, Configuration)}). */
    TEXT(".txt", ".txt.gz", ".txt.bz2", ".txt.zst");

    private final List<String> suffixes;

    Format(String... suffixes) {
      this.suffixes = List.of(suffixes);
    }

    boolean matches(String lowerCaseName) {
      return suffixes.stream().anyMatch(lowerCaseName::endsWith);
    }
  }

  /** The formats of jobs that read records: JSON lines and Parquet. */
  public static final Set<Format> RECORD_FORMATS = EnumSet.of(Format.JSON_LINES, Format.PARQUET);

  /**
   * @param uri the qualified path as Spark reports it in {@code _metadata.file_path}
   */
  public record InputFile(String uri, long size, long modified, Format format) {}

  private final List<InputFile> files;

  private InputFiles(List<InputFile> files) {
    this.files = List.copyOf(files);
  }

  /** {@link #list(List, Set, Configuration)} of JSON lines and Parquet files. */
  public static InputFiles list(List<String> specs, Configuration conf) throws IOException {
    return list(specs, RECORD_FORMATS, conf);
  }

  /**
   * Expands each value: a glob to its matches, a directory to the files below it whose suffix is one of
   * {@code formats}' (hidden and {@code _}-prefixed names skipped). A file named directly is taken whatever its
   * suffix: Parquet or text by suffix (text only when asked for), JSON lines otherwise.
   *
   * @throws FileNotFoundException naming the first value that matches nothing
   */
  public static InputFiles list(List<String> specs, Set<Format> formats, Configuration conf) throws IOException {
    TreeMap<String, InputFile> byPath = new TreeMap<>();
    for (String spec : specs) {
      Path path = new Path(spec);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw new FileNotFoundException("input not found: " + spec);
      }
      int found = 0;
      for (FileStatus match : matches) {
        if (match.isDirectory()) {
          RemoteIterator<LocatedFileStatus> below = fs.listFiles(match.getPath(), true);
          while (below.hasNext()) {
            LocatedFileStatus file = below.next();
            if (isDataFile(file.getPath(), match.getPath(), formats)) {
              add(byPath, fs, file, formats);
              found++;
            }
          }
        } else {
          add(byPath, fs, match, formats);
          found++;
        }
      }
      if (found == 0) {
        throw new FileNotFoundException(
            "no data files in " + spec + " (looked for " + String.join(", ", suffixes(formats)) + ")");
      }
    }
    return new InputFiles(new ArrayList<>(byPath.values()));
  }

  private static void add(Map<String, InputFile> byPath, FileSystem fs, FileStatus status, Set<Format> formats) {
    Path path = fs.makeQualified(status.getPath());
    String name = path.getName().toLowerCase(Locale.ROOT);
    Format format = Format.PARQUET.matches(name) ? Format.PARQUET
        : formats.contains(Format.TEXT) && Format.TEXT.matches(name) ? Format.TEXT
        : Format.JSON_LINES;
    byPath.put(path.toString(), new InputFile(sparkUri(path), status.getLen(), status.getModificationTime(), format));
  }

  /** The form of Spark's {@code _metadata.file_path}: no empty authority ({@code file:/a}, not {@code file:///a}). */
  private static String sparkUri(Path path) {
    URI uri = path.toUri();
    String authority = uri.getAuthority() == null || uri.getAuthority().isEmpty() ? null : uri.getAuthority();
    try {
      return new URI(uri.getScheme(), authority, uri.getPath(), null, null).toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static List<String> suffixes(Set<Format> formats) {
    return formats.stream().flatMap(f -> f.suffixes.stream()).toList();
  }

  private static boolean isDataFile(Path file, Path root, Set<Format> formats) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      if (p.getName().startsWith(".") || p.getName().startsWith("_")) {
        return false;
      }
    }
    String name = file.getName().toLowerCase(Locale.ROOT);
    return formats.stream().anyMatch(f -> f.matches(name));
  }

  /** In input order. */
  public List<InputFile> files() {
    return files;
  }

  public List<String> uris(Format format) {
    return files.stream().filter(f -> f.format() == format).map(InputFile::uri).toList();
  }

  /** Rank of each file's {@code _metadata.file_path} in input order. */
  public Map<String, Integer> order() {
    Map<String, Integer> order = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      order.put(files.get(i).uri(), i);
    }
    return order;
  }

  public long totalBytes() {
    return files.stream().mapToLong(InputFile::size).sum();
  }

  /**
   * SHA-256 over every file's path, size and modification time: changes when any input file is added, removed
   * or rewritten, without reading the data.
   */
  public String fingerprint() {
    MessageDigest sha256 = Hashing.sha256();
    for (InputFile f : files) {
      sha256.update((f.uri() + '\t' + f.size() + '\t' + f.modified() + '\n').getBytes(StandardCharsets.UTF_8));
    }
    return Hashing.hex(sha256);
  }
}
