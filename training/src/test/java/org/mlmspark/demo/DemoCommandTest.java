package org.mlmspark.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.cli.Cli;
import org.mlmspark.demo.cli.DemoCommand;
import org.mlmspark.testing.TestData;
import org.mlmspark.tokenizer.TokenizerFingerprint;
import org.mlmspark.train.TrainData;

/** bin/demo shortened (tiny model, 30 steps): the real chain from the bundled sample to fill-mask output. */
class DemoCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theChainTrainsOnTheSampleAndFillsInMasksInThePipelinesFormat() throws Exception {
    TrainData.spark(); // one local[2] session for the whole chain, shared with the other training tests
    Path output = dir.resolve("demo");
    String text = "The human brain has about 86 billion <mask>.";
    // The default tokenizer, distilroberta-base: the tests run offline, so its bundled copy.
    String out = demo("--output", output.toString(), "--preset", "tiny",
        "--max-steps", "30", "--learning-rate", "5e-3", "--warmup-steps", "3", "--eval-every", "30", text);
    for (String step : List.of("preprocess", "init-model", "train", "fill-mask")) {
      assertTrue(out.contains("\n== " + step + ": "), step + " not shown in: " + out);
    }

    List<Double> losses = new ArrayList<>();
    for (String line : Files.readAllLines(output.resolve("model/metrics.jsonl"))) {
      JsonNode entry = JSON.readTree(line);
      if (!entry.has("eval_loss")) {
        losses.add(entry.get("loss").asDouble());
      }
    }
    assertEquals(30, losses.size());
    // A fresh model guesses uniformly over the 50,265 ids: loss ln(50265) = 10.8.
    assertEquals(Math.log(50265), losses.get(0), 0.3);
    double last = losses.subList(25, 30).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertTrue(last < losses.get(0) - 2, "loss " + losses.get(0) + " -> " + last);
    assertTrue(out.contains("training loss: "), out);

    // fill-mask printed the pipeline's list for the one mask: k entries, best first, keys in the pipeline's order.
    String json = out.lines().filter(line -> line.startsWith("[{\"score\":")).findFirst().orElseThrow(() ->
        new AssertionError("no fill-mask output in: " + out));
    JsonNode predictions = JSON.readTree(json);
    assertEquals(5, predictions.size());
    double previous = 1;
    for (JsonNode prediction : predictions) {
      List<String> keys = new ArrayList<>();
      for (Iterator<String> names = prediction.fieldNames(); names.hasNext(); ) {
        keys.add(names.next());
      }
      assertEquals(List.of("score", "token", "token_str", "sequence"), keys);
      double score = prediction.get("score").asDouble();
      assertTrue(score > 0 && score <= previous, json);
      previous = score;
      assertEquals(text.replace(" <mask>", prediction.get("token_str").asText()), prediction.get("sequence").asText());
    }
  }

  @Test
  void withAModelItFineTunesThatCheckpointWithItsOwnTokenizer() throws Exception {
    TrainData.spark();
    Path checkpoint = TestData.require("fixtures/hf/tiny-roberta/model");
    Path output = dir.resolve("fine-tuned");
    String out = demo("--output", output.toString(), "--model", checkpoint.toString(), "--max-steps", "3",
        "--eval-every", "3", "The human brain has about 86 billion <mask>.");
    assertTrue(out.contains("\n== preprocess: ") && out.contains("(tokenizer " + checkpoint + ")"), out);
    assertFalse(out.contains("== init-model"), out);
    assertTrue(out.contains("\n== train: " + checkpoint + " on ") && out.contains("learning rate 2e-5"), out);
    assertFalse(Files.exists(output.resolve("model-init")));
    JsonNode manifest = JSON.readTree(output.resolve("blocks/manifest.json").toFile());
    assertEquals(TokenizerFingerprint.of(Files.readAllBytes(checkpoint.resolve("tokenizer.json"))),
        manifest.at("/tokenizer/fingerprint").asText());
    assertEquals(3, Files.readAllLines(output.resolve("model/metrics.jsonl")).stream().filter(l -> !l.contains("eval_loss")).count());
  }

  @Test
  void aModelWithAPresetOrTokenizerIsOneClearErrorBeforeAnythingRuns() {
    Path output = dir.resolve("refused");
    PrintStream original = System.err;
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int exitCode;
    try {
      System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
      exitCode = Cli.run(new DemoCommand(), "--output", output.toString(), "--model", "distilroberta-base", "--preset", "tiny");
    } finally {
      System.setErr(original);
    }
    assertEquals(2, exitCode);
    assertTrue(errors.toString(StandardCharsets.UTF_8).contains("--model brings its own tokenizer and shape: drop --preset"),
        errors.toString(StandardCharsets.UTF_8));
    assertFalse(Files.exists(output));
  }

  /** Runs bin/demo on the bundled sample in this JVM; what it printed, after checking that it succeeded. */
  private static String demo(String... args) {
    List<String> all = new ArrayList<>(List.of("--input", TestData.projectRoot().resolve("data/eli5-sample").toString()));
    all.addAll(List.of(args));
    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exitCode;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      exitCode = Cli.run(new DemoCommand(), all.toArray(String[]::new));
    } finally {
      System.setOut(original);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, exitCode, out);
    return out;
  }
}
