package org.mlmspark.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.cli.Cli;
import org.mlmspark.inference.cli.FillMaskCommand;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.testing.TestData;
import org.mlmspark.testing.TestSpark;

/**
 * {@code bin/fill-mask --input ... --output ...} in local[2] with the tiny-roberta fixture: each row's results
 * equal the single-text ones, whatever batch it shared; rows without a mask or text are kept with their error.
 */
class FillMaskBatchTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private static SparkSession spark;
  private static FillMaskModel reference;
  private static Path model;

  @BeforeAll
  static void setUp() throws IOException {
    spark = TestSpark.session();
    model = TestData.require("fixtures/hf/tiny-roberta/model");
    reference = FillMaskModel.open(ModelDirectory.of(new org.apache.hadoop.fs.Path(model.toUri()),
        spark.sparkContext().hadoopConfiguration()));
  }

  @AfterAll
  static void tearDown() {
    if (reference != null) {
      reference.close();
    }
  }

  static int run(String... args) {
    StringWriter err = new StringWriter();
    int code = Cli.run(new FillMaskCommand(), new PrintWriter(err, true), args);
    System.err.print(err);
    return code;
  }

  static FillMaskManifest manifest(Path output) throws IOException {
    try (InputStream in = Files.newInputStream(output.resolve(AtomicOutput.MANIFEST))) {
      return FillMaskManifest.read(in);
    }
  }

  @Test
  void parquetResultsEqualTheSingleTextResults() throws IOException {
    Path input = BatchCase.jsonInput(tmp.resolve("parquet-case/in"));
    Path output = tmp.resolve("parquet-case/out");
    assertEquals(0, run("--model", model.toString(), "--input", input.toString(), "--output", output.toString(),
        "--top-k", "3", "--batch-size", "3"));

    List<JsonNode> rows = BatchCase.results(spark, output.toString(), "parquet");
    BatchCase.assertPipelineResults(reference.fillMask(), rows, BatchCase.TEXTS.size() + 2);
    Map<Integer, JsonNode> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.get("id").asInt(), r));
    // Input columns kept; the two-mask text has one list per mask.
    assertEquals(BatchCase.TEXTS.get(2), byId.get(2).get("text").asText());
    assertEquals(2, byId.get(2).get("predictions").size());
    assertEquals(1, byId.get(0).get("predictions").size());

    FillMaskManifest manifest = manifest(output);
    assertEquals(new FillMaskManifest.Rows(BatchCase.TEXTS.size() + 2, BatchCase.TEXTS.size(), 2,
        Map.of(FillMask.NULL_TEXT, 1L, "No mask_token (<mask>) found on the input", 1L)), manifest.rows());
    assertEquals(2, manifest.input().files().size());
    assertEquals("file:" + model, manifest.model().location());
  }

  @Test
  void jsonLinesOutputHasThePipelineFields() throws IOException {
    Path input = BatchCase.jsonInput(tmp.resolve("json-case/in"));
    Path output = tmp.resolve("json-case/out");
    assertEquals(0, run("--model", model.toString(), "--input", input.toString(), "--output", output.toString(),
        "--top-k", "3", "--format", "json"));

    List<JsonNode> rows = new ArrayList<>();
    try (Stream<Path> parts = Files.list(output.resolve(FillMaskJob.RESULTS))) {
      for (Path part : parts.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
        for (String line : Files.readAllLines(part)) {
          rows.add(JSON.readTree(line));
        }
      }
    }
    BatchCase.assertPipelineResults(reference.fillMask(), rows, BatchCase.TEXTS.size() + 2);
    JsonNode first = rows.stream().filter(r -> r.path("id").asInt() == 0).findFirst().orElseThrow();
    List<String> fields = new ArrayList<>();
    first.get("predictions").get(0).get(0).fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("score", "token", "token_str", "sequence"), fields);
  }

  @Test
  void parquetAndPlainTextInputs() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("formats-case/in"));
    List<String> half = BatchCase.TEXTS.subList(0, 4);
    Files.write(dir.resolve("texts.txt"),
        Stream.concat(half.stream(), Stream.of("", BatchCase.NO_MASK)).toList());
    List<String> json = new ArrayList<>();
    for (String text : BatchCase.TEXTS.subList(4, BatchCase.TEXTS.size())) {
      json.add(JSON.createObjectNode().put("text", text).toString());
    }
    Path staging = tmp.resolve("formats-case/staging.jsonl");
    Files.write(staging, json);
    spark.read().json(staging.toString()).coalesce(1).write().parquet(tmp.resolve("formats-case/pq").toString());
    try (Stream<Path> files = Files.list(tmp.resolve("formats-case/pq"))) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.copy(part, dir.resolve("texts.parquet"));
    }
    Path output = tmp.resolve("formats-case/out");
    assertEquals(0, run("--model", model.toString(), "--input", dir.toString(), "--output", output.toString(),
        "--top-k", "3", "--batch-size", "2"));

    // The blank line is no text; the rest, from both files, each once.
    BatchCase.assertPipelineResults(reference.fillMask(), BatchCase.results(spark, output.toString(), "parquet"),
        BatchCase.TEXTS.size() + 1);
    assertEquals(2, manifest(output).input().files().size());
  }

  @Test
  void tasksShareTheJvmsOneModel() throws IOException {
    Path copy = tmp.resolve("model-copy");
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(model)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Path input = BatchCase.jsonInput(tmp.resolve("shared-case/in"));
    int before = FillMaskModel.opened();
    assertEquals(0, run("--model", copy.toString(), "--input", input.toString(), "--output",
        tmp.resolve("shared-case/out").toString(), "--batch-size", "2"));
    // Two files, two tasks, five batches each needing a model: one load.
    assertEquals(1, FillMaskModel.opened() - before);
  }

  @Test
  void aRerunReplacesTheOutputAndABadRunLeavesNone() throws IOException {
    Path input = BatchCase.jsonInput(tmp.resolve("rerun-case/in"));
    Path output = tmp.resolve("rerun-case/out");
    String[] args = {"--model", model.toString(), "--input", input.toString(), "--output", output.toString()};
    assertEquals(0, run(args));
    assertEquals(0, run(args));
    assertEquals(BatchCase.TEXTS.size() + 2, manifest(output).rows().read());

    Path failed = tmp.resolve("rerun-case/failed");
    assertEquals(2, run("--model", model.toString(), "--input", input.toString(), "--output", failed.toString(),
        "--text-column", "body"));
    assertFalse(Files.exists(failed));
    try (var beside = Files.list(tmp.resolve("rerun-case"))) {
      assertTrue(beside.noneMatch(p -> p.getFileName().toString().startsWith(".failed.")),
          "no staging directory or lock left beside the output");
    }
  }

  @Test
  void inputColumnsThatDoNotFitAreOneClearError() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("columns-case"));
    Files.writeString(dir.resolve("numbers.jsonl"), "{\"text\": 1}\n");
    Files.writeString(dir.resolve("clash.jsonl"), "{\"text\": \"a <mask>\", \"error\": \"x\"}\n");
    for (String[] c : new String[][] {
        {"numbers.jsonl", "text", "column 'text' holds bigint, not text"},
        {"clash.jsonl", "text", "the input already has a column 'error'"},
        {"clash.jsonl", "body", "the input has no column 'body' (it has: error, text)"}}) {
      StringWriter err = new StringWriter();
      int code = Cli.run(new FillMaskCommand(), new PrintWriter(err, true), "--model", model.toString(),
          "--input", dir.resolve(c[0]).toString(), "--output", dir.resolve("out").toString(), "--text-column", c[1]);
      assertEquals(2, code);
      assertTrue(err.toString().startsWith("error: " + c[2]), err.toString());
      assertEquals(1, err.toString().lines().count(), err.toString());
    }
  }

  @Test
  void malformedJsonLinesAreKeptWithAReason() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("malformed-case/in"));
    Files.writeString(dir.resolve("in.jsonl"), "{\"text\": \"The sky is <mask>.\"}\n{not json\n");
    Path output = tmp.resolve("malformed-case/out");
    assertEquals(0, run("--model", model.toString(), "--input", dir.toString(), "--output", output.toString()));
    List<JsonNode> rows = BatchCase.results(spark, output.toString(), "parquet");
    assertEquals(2, rows.size());
    JsonNode bad = rows.stream().filter(r -> r.has("_corrupt_record")).findFirst().orElseThrow();
    assertEquals("{not json", bad.get("_corrupt_record").asText());
    assertEquals(FillMaskJob.MALFORMED_JSON, bad.get("error").asText());
    assertEquals(Map.of(FillMaskJob.MALFORMED_JSON, 1L), manifest(output).rows().errorsByMessage());
  }
}
