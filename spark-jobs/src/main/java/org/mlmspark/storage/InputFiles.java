package org.mlmspark.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The input files named by {@code --input} values (files, directories, globs; any Hadoop file system), in input
 * order: sorted by path. Listing happens on the driver before Spark starts, so a missing input is reported at
 * once, and the list doubles as the run's input fingerprint.
 */
public final class InputFiles {
  /** What a file holds, by its name: Parquet, or JSON lines (optionally compressed, e.g. {@code .json.gz}). */
  public enum Format {
    JSON_LINES,
    PARQUET
  }

  /**
   * @param uri the qualified path as Spark reports it in {@code _metadata.file_path}
   */
  public record InputFile(String uri, long size, long modified, Format format) {}

  private static final List<String> DATA_SUFFIXES =
      List.of(".parquet", ".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz", ".ndjson.gz", ".jsonl.bz2",
          ".json.bz2", ".jsonl.zst", ".json.zst");

  private final List<InputFile> files;

  private InputFiles(List<InputFile> files) {
    this.files = List.copyOf(files);
  }

  /**
   * Expands each value: a glob to its matches, a directory to the data files below it (by suffix, hidden and
   * {@code _}-prefixed names skipped). A file named directly is taken whatever its suffix.
   *
   * @throws FileNotFoundException naming the first value that matches nothing
   */
  public static InputFiles list(List<String> specs, Configuration conf) throws IOException {
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
            if (isDataFile(file.getPath(), match.getPath())) {
              add(byPath, fs, file);
              found++;
            }
          }
        } else {
          add(byPath, fs, match);
          found++;
        }
      }
      if (found == 0) {
        throw new FileNotFoundException(
            "no data files in " + spec + " (looked for " + String.join(", ", DATA_SUFFIXES) + ")");
      }
    }
    return new InputFiles(new ArrayList<>(byPath.values()));
  }

  private static void add(Map<String, InputFile> byPath, FileSystem fs, FileStatus status) {
    Path path = fs.makeQualified(status.getPath());
    Format format = path.getName().toLowerCase(Locale.ROOT).endsWith(".parquet") ? Format.PARQUET : Format.JSON_LINES;
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

  private static boolean isDataFile(Path file, Path root) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      if (p.getName().startsWith(".") || p.getName().startsWith("_")) {
        return false;
      }
    }
    String name = file.getName().toLowerCase(Locale.ROOT);
    return DATA_SUFFIXES.stream().anyMatch(name::endsWith);
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
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (InputFile f : files) {
        sha256.update((f.uri() + '\t' + f.size() + '\t' + f.modified() + '\n').getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
