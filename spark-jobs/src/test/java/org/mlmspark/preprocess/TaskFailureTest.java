package org.mlmspark.preprocess;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.preprocess.cli.PreprocessCommand;
import org.mlmspark.testing.ChildJvm;
import org.mlmspark.testing.CommandRun;
import org.mlmspark.testing.FullDiskFileSystem;
import org.mlmspark.testing.TestData;
import org.mlmspark.testing.TestSpark;

/**
 * A Spark task that fails (a truncated .json.gz, Parquet files whose column types disagree, a full disk) ends
 * the run with exit 1 and one line naming the file and the cause; the run's staging directory and lock are gone
 * and the previous output is untouched.
 */
class TaskFailureTest {
  private static SparkSession spark;
  private static Path sample;

  @TempDir Path tmp;

  @BeforeAll
  static void load() {
    spark = TestSpark.session();
    sample = TestData.require("data/eli5_category_sample");
  }

  private CommandRun preprocess(Path input, Path output) {
    return CommandRun.of(new PreprocessCommand(), "--input", input.toString(), "--output", output.toString(),
        "--tokenizer", TestData.distilrobertaTokenizer().toString());
  }

  /** The previous output, then the failing run: its one error line, with nothing left beside the output. */
  private String failingRun(Path input) throws IOException {
    Path output = tmp.resolve("out");
    assertEquals(0, preprocess(sample, output).exitCode());
    byte[] manifest = Files.readAllBytes(output.resolve("manifest.json"));

    CommandRun run = preprocess(input, output);
    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals(1, run.errorLines().size(), run.stderr());
    assertArrayEquals(manifest, Files.readAllBytes(output.resolve("manifest.json")));
    try (Stream<Path> beside = Files.list(tmp)) {
      assertTrue(beside.noneMatch(p -> p.getFileName().toString().startsWith(".out.")),
          "no staging directory or lock left");
    }
    return run.errorLines().get(0);
  }

  @Test
  void aTruncatedGzipFileIsOneLineNamingIt() throws IOException {
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
      try (Stream<Path> files = Files.list(sample)) {
        for (Path f : files.sorted().toList()) {
          out.write(Files.readAllBytes(f));
        }
      }
    }
    byte[] whole = gzipped.toByteArray();
    Path input = Files.createDirectories(tmp.resolve("in"));
    Path truncated = Files.write(input.resolve("part.json.gz"), Arrays.copyOf(whole, whole.length / 2));

    String error = failingRun(input);
    assertTrue(error.startsWith("error: reading file:") && error.contains(truncated.toString())
        && error.endsWith(" failed: EOFException: Unexpected end of input stream"), error);
  }

  @Test
  void parquetFilesWhoseColumnTypesDisagreeAreOneLineNamingTheFile() throws IOException {
    Path input = tmp.resolve("parquet");
    var rows = spark.read().json(sample.toString());
    rows.coalesce(1).write().parquet(input.resolve("a").toString());
    rows.withColumn("title", lit(7L)).coalesce(1).write().parquet(input.resolve("b").toString());
    Path files = Files.createDirectories(tmp.resolve("mixed"));
    for (String part : List.of("a", "b")) {
      try (Stream<Path> written = Files.list(input.resolve(part))) {
        Path parquet = written.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        Files.copy(parquet, files.resolve(part + ".parquet"));
      }
    }

    String error = failingRun(files);
    assertTrue(error.startsWith("error: reading file:"), error);
    assertTrue(error.contains(files.resolve("a.parquet").toString())
        || error.contains(files.resolve("b.parquet").toString()), error);
    assertTrue(error.endsWith("failed: Data type mismatches when reading Parquet column [title]. Expected Spark"
        + " type string, actual Parquet type INT64."), error);
    assertFalse(error.contains("\tat "), error);
  }

  @Test
  void aFullDiskIsOneLineNamingWhereItWasWriting() throws Exception {
    Path output = tmp.resolve("out");
    Path log = tmp.resolve("run.log");
    Process run = ChildJvm.start(PreprocessCommand.class,
        List.of("spark.master=local[1]", "spark.hadoop.fs.file.impl=" + FullDiskFileSystem.class.getName()), log,
        "--input", sample.toString(), "--output", output.toString(), "--tokenizer",
        TestData.distilrobertaTokenizer().toString());
    assertTrue(run.waitFor(10, TimeUnit.MINUTES));
    String printed = Files.readString(log);
    assertEquals(1, run.exitValue(), printed);
    List<String> errors = printed.lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(1, errors.size(), printed);
    assertTrue(errors.get(0).matches("error: writing file:\\S*/\\.out\\.staging-[^/]+/(train|test|_rejects)"
        + " failed: (IOException: )?No space left on device"), printed);
    assertFalse(Files.exists(output));
    try (Stream<Path> beside = Files.list(tmp)) {
      assertTrue(beside.noneMatch(p -> p.getFileName().toString().startsWith(".out.")),
          "no staging directory or lock left");
    }
  }

  private static void assertArrayEquals(byte[] expected, byte[] actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, "the previous output is untouched");
  }
}
