package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.preprocess.cli.PreprocessCommand;
import org.mlmspark.testing.CommandRun;
import org.mlmspark.testing.ExpectedTokens;
import org.mlmspark.testing.TestData;
import org.mlmspark.testing.TestSpark;

/** A file mixing good and broken records: every good one is used, every broken one kept with its reason. */
class BadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static List<String> good;
  /** Broken records as raw bytes, with the reason each must be rejected for. */
  private static final List<Map.Entry<String, byte[]>> BAD = new ArrayList<>();

  @TempDir static Path tmp;
  private static Path input;

  @BeforeAll
  static void writeInput() throws IOException {
    spark = TestSpark.session();
    List<String> fixture =
        TestData.lines(TestData.require("fixtures/hf/preprocess/eli5_askscience_synthetic.jsonl.gz"));
    good = fixture.subList(0, 60);
    String template = fixture.get(60);

    bad("malformed_json", "{\"q_id\": \"broken\", \"title\": ");
    bad("malformed_json", "[1, 2, 3]");
    bad("wrong_type", edit(template, r -> r.put("title", 42)));
    bad("missing_field", edit(template, r -> r.remove("q_id")));
    bad("null_field", edit(template, r -> r.putNull("subreddit")));
    bad("empty_answers", edit(template, r -> {
      ObjectNode answers = (ObjectNode) r.get("answers");
      answers.putArray("a_id");
      answers.putArray("text");
      answers.putArray("score");
    }));
    bad("text_too_long", edit(template, r -> ((ObjectNode) r.get("answers")).withArray("text").set(0, JSON.getNodeFactory().textNode("x".repeat(60_000)))));
    ByteArrayOutputStream invalidUtf8 = new ByteArrayOutputStream();
    byte[] bytes = template.getBytes(StandardCharsets.UTF_8);
    int inTitle = template.indexOf("\"title\": \"") + 12;
    invalidUtf8.write(bytes, 0, inTitle);
    invalidUtf8.write(0xFF);
    invalidUtf8.write(bytes, inTitle, bytes.length - inTitle);
    BAD.add(Map.entry("invalid_utf8", invalidUtf8.toByteArray()));

    // Good and bad records interleaved, plus a blank line (no record).
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (int i = 0; i < good.size(); i++) {
      file.write((good.get(i) + "\n").getBytes(StandardCharsets.UTF_8));
      if (i % 7 == 3 && i / 7 < BAD.size()) {
        file.write(BAD.get(i / 7).getValue());
        file.write('\n');
      }
      if (i == 30) {
        file.write("\n".getBytes(StandardCharsets.UTF_8));
      }
    }
    input = tmp.resolve("mixed.jsonl");
    Files.write(input, file.toByteArray());
  }

  private static void bad(String reason, String line) {
    BAD.add(Map.entry(reason, line.getBytes(StandardCharsets.UTF_8)));
  }

  private static String edit(String line, java.util.function.Consumer<ObjectNode> change) throws IOException {
    ObjectNode record = (ObjectNode) JSON.readTree(line);
    change.accept(record);
    return JSON.writeValueAsString(record);
  }

  private static CommandRun preprocess(Path output, String maxRejectFraction) {
    return CommandRun.of(new PreprocessCommand(),
        "--input", input.toString(), "--output", output.toString(),
        "--tokenizer", TestData.distilrobertaTokenizer().toString(),
        "--max-text-chars", "50000", "--max-reject-fraction", maxRejectFraction);
  }

  @Test
  void goodRecordsAreProcessedAndBadOnesKeptWithTheirReason() throws IOException {
    Path output = tmp.resolve("out");
    assertEquals(0, preprocess(output, "0.2").exitCode());

    Manifest manifest = new PreprocessOutput(spark, new org.apache.hadoop.fs.Path(output.toUri())).manifest();
    Map<String, Long> expectedReasons = new HashMap<>();
    BAD.forEach(b -> expectedReasons.merge(b.getKey(), 1L, Long::sum));
    assertEquals(good.size() + BAD.size(), manifest.rows().read());
    assertEquals(BAD.size(), manifest.rows().rejected());
    assertEquals(expectedReasons, manifest.rows().rejectedByReason());

    // Every good record is in train or test, on the side its q_id decides, with all its tokens.
    TrainTestSplit split = new TrainTestSplit(42, 0.2);
    List<String> test = good.stream().filter(r -> split.isTest(ExpectedTokens.qId(r))).toList();
    List<String> train = good.stream().filter(r -> !test.contains(r)).toList();
    assertFalse(test.isEmpty());
    assertEquals(train.size(), manifest.rows().train());
    assertEquals(test.size(), manifest.rows().test());
    assertEquals(ExpectedTokens.of(train), manifest.splits().get(Manifest.TRAIN).tokens());
    assertEquals(ExpectedTokens.of(test), manifest.splits().get(Manifest.TEST).tokens());

    // Every bad record is in _rejects with its reason and its raw bytes.
    List<JsonNode> rejects = new ArrayList<>();
    try (Stream<Path> files = Files.list(output.resolve(Manifest.REJECTS))) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
        for (String line : Files.readAllLines(f)) {
          rejects.add(JSON.readTree(line));
        }
      }
    }
    assertEquals(BAD.size(), rejects.size());
    for (Map.Entry<String, byte[]> b : BAD) {
      boolean found = rejects.stream().anyMatch(r ->
          r.get("reason").asText().equals(b.getKey())
              && r.get("file").asText().endsWith("mixed.jsonl")
              && !r.get("detail").asText().isEmpty()
              && (r.has("raw_base64")
                  ? java.util.Arrays.equals(b.getValue(), Base64.getDecoder().decode(r.get("raw_base64").asText()))
                  : r.get("raw").asText().equals(new String(b.getValue(), StandardCharsets.UTF_8))));
      assertTrue(found, "no reject record for " + b.getKey());
    }
  }

  @Test
  void tooManyRejectsFailTheRunWithOneClearLineAndNoOutput() {
    Path output = tmp.resolve("strict");
    CommandRun run = preprocess(output, "0.01");
    assertEquals(1, run.exitCode());
    assertEquals(1, run.errorLines().size(), run.stderr());
    String error = run.errorLines().get(0);
    assertTrue(error.contains(BAD.size() + " of " + (good.size() + BAD.size()) + " records rejected"), error);
    assertTrue(error.contains("--max-reject-fraction"), error);
    assertFalse(Files.exists(output));
    try (var beside = Files.list(tmp)) {
      assertTrue(beside.noneMatch(p -> p.getFileName().toString().startsWith(".strict.")),
          "no staging directory or lock left beside the output");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
