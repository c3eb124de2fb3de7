package org.mlmspark.spark;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Rows of a staged Spark output directory, counted from the files themselves: what {@link org.mlmspark.storage.AtomicOutput#commit}
 * checks against the manifest it is about to write. Parquet from the footers alone; JSON lines by their newlines.
 */
public final class StagedRows {
  private StagedRows() {}

  /** Rows in the {@code .parquet} files directly inside {@code dir}, or 0 when it does not exist. */
  public static long parquet(FileSystem fs, Path dir) throws IOException {
    long rows = 0;
    for (FileStatus file : parts(fs, dir, ".parquet")) {
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(file, fs.getConf()))) {
        rows += reader.getRecordCount();
      }
    }
    return rows;
  }

  /** Lines in the {@code .json} files directly inside {@code dir} (Spark's JSON writer: one row per line). */
  public static long jsonLines(FileSystem fs, Path dir) throws IOException {
    long rows = 0;
    byte[] buffer = new byte[1 << 16];
    for (FileStatus file : parts(fs, dir, ".json")) {
      try (InputStream in = fs.open(file.getPath())) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              rows++;
            }
          }
        }
      }
    }
    return rows;
  }

  /** Fails when {@code found} differs from what the manifest records for {@code dir}. */
  public static void require(Path dir, long found, long expected) throws IOException {
    if (found != expected) {
      throw new IOException("not committing: " + dir + " holds " + found + " rows where the manifest records "
          + expected);
    }
  }

  private static FileStatus[] parts(FileSystem fs, Path dir, String extension) throws IOException {
    if (!fs.exists(dir)) {
      return new FileStatus[0];
    }
    return fs.listStatus(dir, p -> p.getName().endsWith(extension));
  }
}
