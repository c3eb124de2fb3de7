package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.preprocess.cli.PreprocessCommand;
import org.mlmspark.testing.CommandRun;
import org.mlmspark.testing.ExpectedTokens;
import org.mlmspark.testing.TestData;
import org.mlmspark.testing.TestSpark;

/** The 20 real ELI5-Category rows, as a directory of JSON lines, gzipped, and Parquet; --limit and --subreddit. */
class InputFormatsTest {
  private static SparkSession spark;
  private static Path sampleDir;
  /** The sample's records in input order: files sorted by path, lines in file order. */
  private static List<String> records;

  @TempDir Path tmp;

  @BeforeAll
  static void load() throws IOException {
    spark = TestSpark.session();
    sampleDir = TestData.require("data/eli5_category_sample");
    records = new ArrayList<>();
    try (Stream<Path> files = Files.list(sampleDir)) {
      for (Path f : files.sorted().toList()) {
        records.addAll(Files.readAllLines(f));
      }
    }
  }

  private Manifest preprocess(String input, String... extra) throws IOException {
    Path output = tmp.resolve("out");
    List<String> args = new ArrayList<>(List.of("--input", input, "--output", output.toString(),
        "--tokenizer", TestData.distilrobertaTokenizer().toString()));
    args.addAll(List.of(extra));
    CommandRun run = CommandRun.of(new PreprocessCommand(), args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.stderr());
    return new PreprocessOutput(spark, new org.apache.hadoop.fs.Path(output.toUri())).manifest();
  }

  private static long tokens(Manifest m) {
    return m.splits().get(Manifest.TRAIN).tokens() + m.splits().get(Manifest.TEST).tokens();
  }

  @Test
  void realEli5CategoryRowsAllParse() throws IOException {
    Manifest m = preprocess(sampleDir.toString());
    assertEquals("eli5_category", m.schema());
    assertEquals(20, m.rows().read());
    assertEquals(0, m.rows().rejected());
    assertEquals(20, m.rows().train() + m.rows().test());
    assertEquals(ExpectedTokens.of(records), tokens(m));
    assertEquals(4, m.input().files().size());
  }

  @Test
  void limitTakesTheFirstRowsInInputOrder() throws IOException {
    Manifest m = preprocess(sampleDir.toString(), "--limit", "7");
    assertEquals(7, m.rows().train() + m.rows().test());
    assertEquals(13, m.rows().beyondLimit());
    assertEquals(ExpectedTokens.of(records.subList(0, 7)), tokens(m));
  }

  @Test
  void gzippedJsonLinesAndParquetReadLikeJsonLines() throws IOException {
    Path gz = Files.createDirectories(tmp.resolve("gz"));
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz.resolve("all.jsonl.gz")))) {
      out.write((String.join("\n", records) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Manifest fromGzip = preprocess(gz.resolve("all.jsonl.gz").toString());
    assertEquals(20, fromGzip.rows().read());
    assertEquals(ExpectedTokens.of(records), tokens(fromGzip));

    Path parquet = tmp.resolve("parquet");
    spark.read().json(sampleDir.toString()).coalesce(1).write().parquet(parquet.toString());
    Manifest fromParquet = preprocess(parquet.toString());
    assertEquals("eli5_category", fromParquet.schema());
    assertEquals(20, fromParquet.rows().read());
    assertEquals(0, fromParquet.rows().rejected());
    assertEquals(ExpectedTokens.of(records), tokens(fromParquet));
  }

  @Test
  void subredditFilterThatMatchesNothingFailsClearly() {
    CommandRun run = CommandRun.of(new PreprocessCommand(), "--input", sampleDir.toString(),
        "--output", tmp.resolve("none").toString(), "--subreddit", "askscience",
        "--tokenizer", TestData.distilrobertaTokenizer().toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.errorLines().get(0).contains("no questions left"), run.stderr());
  }
}
