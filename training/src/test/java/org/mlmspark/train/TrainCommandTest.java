package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.cli.Cli;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.tokenizer.BundledTokenizer;
import org.mlmspark.tokenizer.TokenizerFingerprint;
import org.mlmspark.train.cli.TrainCommand;
import org.mlmspark.train.report.EventFiles;

/** bin/train end to end on a tiny model and a toy corpus, in this JVM. */
class TrainCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** What a run printed and returned. */
  record Run(int exitCode, String out, String err) {}

  static Run train(String... args) {
    return run(new TrainCommand(), args);
  }

  /** Runs {@code command} in this JVM as its main would, capturing what it prints. */
  static Run run(Object command, String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Cli.run(command, args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @Test
  void lossFallsAndTheOutputIsAnHfModelDirectoryWithMetrics() throws Exception {
    TrainData.spark();
    Path data = TrainData.write(dir.resolve("data"), TrainData.corpus(48, 32, 1), TrainData.corpus(8, 32, 2), 2);
    Path model = TrainData.tinyModel(dir.resolve("model"));
    Path output = dir.resolve("out");
    Run run = train("--data", data.toString(), "--model", model.toString(), "--output", output.toString(),
        "--epochs", "4", "--batch-size", "4", "--learning-rate", "3e-3", "--warmup-steps", "4",
        "--checkpoint-every", "0", "--device", "cpu", "--log-every", "12", "--report-to", "tensorboard");
    assertEquals(0, run.exitCode(), run.err());
    EventFiles.assertMatchesMetrics(output, model);

    for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
        "metrics.jsonl", "trainer_state.json", "loss.png")) {
      assertTrue(Files.isRegularFile(output.resolve(file)), file);
    }
    byte[] png = Files.readAllBytes(output.resolve("loss.png"));
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));

    List<JsonNode> steps = new ArrayList<>();
    List<JsonNode> evals = new ArrayList<>();
    for (String line : Files.readAllLines(output.resolve("metrics.jsonl"))) {
      JsonNode entry = JSON.readTree(line);
      (entry.has("eval_loss") ? evals : steps).add(entry);
    }
    assertEquals(48, steps.size()); // 48 blocks / batch 4 = 12 steps per epoch, 4 epochs
    assertEquals(4, evals.size());
    for (JsonNode eval : evals) {
      double accuracy = eval.get("eval_accuracy").asDouble();
      assertTrue(accuracy >= 0 && accuracy <= 1, "masked-token accuracy " + accuracy);
    }
    assertTrue(evals.get(3).get("eval_accuracy").asDouble() > evals.get(0).get("eval_accuracy").asDouble(),
        "accuracy rises as the loss falls: " + evals);
    for (String key : List.of("step", "loss", "learning_rate", "grad_norm", "tokens_per_s")) {
      assertTrue(steps.get(0).has(key), key);
    }
    assertEquals(0.0, steps.get(0).get("learning_rate").asDouble()); // warmup starts at 0
    double firstEpoch = steps.subList(0, 12).stream().mapToDouble(s -> s.get("loss").asDouble()).average().orElseThrow();
    double lastEpoch = steps.subList(36, 48).stream().mapToDouble(s -> s.get("loss").asDouble()).average().orElseThrow();
    assertTrue(lastEpoch < firstEpoch - 1, "training loss " + firstEpoch + " -> " + lastEpoch);
    assertTrue(evals.get(3).get("eval_loss").asDouble() < evals.get(0).get("eval_loss").asDouble() - 1);
    assertEquals(Math.exp(evals.get(3).get("eval_loss").asDouble()), evals.get(3).get("perplexity").asDouble(), 1e-9);

    JsonNode state = JSON.readTree(output.resolve("trainer_state.json").toFile());
    assertEquals(48, state.get("global_step").asLong());
    assertEquals(4.0, state.get("epoch").asDouble());
    assertEquals(52, state.get("log_history").size());

    assertTrue(run.out().contains("Epoch  | Training Loss | Validation Loss"), run.out());
    assertTrue(run.out().matches("(?s).*\\nPerplexity: \\d+\\.\\d\\d\\n.*"), run.out());
    assertTrue(run.out().contains("tokens/s") && run.out().contains("ETA"), run.out());

    try (NDManager manager = NDManager.newBaseManager()) {
      Checkpoints.Loaded loaded = Checkpoints.load(
          ModelDirectory.of(new org.apache.hadoop.fs.Path(output.toUri()), new Configuration()), manager);
      assertTrue(loaded.report().unused().isEmpty());
    }
  }

  /**
   * {@code --bf16} is refused in one line before anything runs: DJL 0.36's PyTorch JNI has no bfloat16 type, and a
   * bfloat16 tensor would abort the JVM. The device line names the device and why.
   */
  @Test
  void bf16IsRefusedWithTheReasonAndEveryRunSaysItsDevice() throws Exception {
    Run refused = train("--data", dir.resolve("none").toString(), "--model", dir.resolve("none").toString(),
        "--output", dir.resolve("out").toString(), "--bf16");
    assertEquals(2, refused.exitCode());
    assertEquals("error: " + Compute.BF16_UNAVAILABLE + "\n", refused.err());
    assertTrue(Files.notExists(dir.resolve("out")));

    TrainData.spark();
    Path data = TrainData.write(dir.resolve("data"), TrainData.corpus(8, 32, 1), TrainData.corpus(4, 32, 2), 1);
    Path model = TrainData.tinyModel(dir.resolve("model"));
    Run run = train("--data", data.toString(), "--model", model.toString(), "--output",
        dir.resolve("trained").toString(), "--max-steps", "2", "--batch-size", "4", "--checkpoint-every", "0",
        "--device", "cpu");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("device: cpu (--device cpu); fp32\n"), run.out());
  }

  /**
   * --whole-word-mask trains on data with word starts (and records the switch for resuming), and refuses data
   * without them in one line.
   */
  @Test
  void wholeWordMaskingNeedsTheDatasWordStarts() throws Exception {
    TrainData.spark();
    Path model = TrainData.tinyModel(dir.resolve("model"));
    Path plain = TrainData.write(dir.resolve("plain"), TrainData.corpus(8, 17, 1), TrainData.corpus(4, 17, 2), 1);
    Run refused = train("--data", plain.toString(), "--model", model.toString(), "--output",
        dir.resolve("refused").toString(), "--whole-word-mask");
    assertEquals(2, refused.exitCode());
    assertTrue(refused.err().startsWith("error: ") && refused.err().contains("--word-starts"), refused.err());
    assertFalse(refused.err().contains("\tat "), refused.err());

    Path words = TrainData.write(dir.resolve("words"), TrainData.corpus(8, 17, 1), TrainData.corpus(4, 17, 2), 1,
        TrainData.BLOCKS_WITH_WORD_STARTS);
    Path output = dir.resolve("out");
    Run run = train("--data", words.toString(), "--model", model.toString(), "--output", output.toString(),
        "--epochs", "1", "--batch-size", "4", "--checkpoint-every", "0", "--device", "cpu", "--whole-word-mask");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode state = JSON.readTree(output.resolve("trainer_state.json").toFile());
    assertTrue(state.path("mlm_spark").path("settings").path("wholeWordMask").asBoolean(), state.toString());
  }

  @Test
  void withoutATestSplitEvaluationIsSkippedAndSaid() throws Exception {
    TrainData.spark();
    Path data = TrainData.write(dir.resolve("data"), TrainData.corpus(8, 16, 1), null, 1);
    Path model = TrainData.tinyModel(dir.resolve("model"));
    Run run = train("--data", data.toString(), "--model", model.toString(), "--output",
        dir.resolve("out").toString(), "--epochs", "1", "--batch-size", "4", "--checkpoint-every", "0");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("no test split: evaluation skipped"), run.out());
    assertTrue(run.out().contains("No test split: evaluation skipped"), run.out());
  }

  /** --test-size 0 writes an empty test/: no evaluation, and no NaN anywhere (console, metrics, trainer_state). */
  @Test
  void anEmptyTestSplitIsNoTestSplitAndNeverNaN() throws Exception {
    TrainData.spark();
    Path data = TrainData.write(dir.resolve("data"), TrainData.corpus(8, 16, 1), List.of(), 1);
    Path model = TrainData.tinyModel(dir.resolve("model"));
    Path output = dir.resolve("out");
    Run run = train("--data", data.toString(), "--model", model.toString(), "--output", output.toString(),
        "--max-steps", "1", "--batch-size", "4", "--checkpoint-every", "0");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("no test split: evaluation skipped"), run.out());
    assertFalse(run.out().contains("NaN"), run.out());
    try (java.util.stream.Stream<Path> files = Files.walk(output)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        assertFalse(Files.readString(file).contains("NaN"), file.toString());
      }
    }
  }

  @Test
  void badDataIsOneErrorLineBeforeTrainingAndLeavesNoOutput() throws Exception {
    TrainData.spark();
    List<int[]> blocks = TrainData.corpus(8, 16, 1);
    blocks.get(2)[3] = 99_999;
    Path data = TrainData.write(dir.resolve("data"), blocks, null, 1);
    Path model = TrainData.tinyModel(dir.resolve("model"));
    Path output = dir.resolve("out");
    Run run = train("--data", data.toString(), "--model", model.toString(), "--output", output.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("error: ") && run.err().contains("outside the model's vocabulary"), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    assertFalse(Files.exists(output));
  }

  @Test
  void dataMadeWithAnotherTokenizerIsRefusedBeforeTraining() throws Exception {
    TrainData.spark();
    Path data = TrainData.write(dir.resolve("data"), TrainData.corpus(8, 16, 1), null, 1);
    // Data made with a tokenizer that numbers one token differently.
    com.fasterxml.jackson.databind.node.ObjectNode tokenizer =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(BundledTokenizer.DISTILROBERTA_BASE.json());
    ((com.fasterxml.jackson.databind.node.ObjectNode) tokenizer.get("model").get("vocab")).put("Ġspiral", 3);
    String other = TokenizerFingerprint.of(JSON.writeValueAsBytes(tokenizer));
    com.fasterxml.jackson.databind.node.ObjectNode manifest =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(data.resolve("manifest.json").toFile());
    manifest.putObject("tokenizer").put("id", "someone/roberta-variant").put("fingerprint", other);
    Files.write(data.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
    Path model = TrainData.tinyModel(dir.resolve("model"));
    Path output = dir.resolve("out");
    Run run = train("--data", data.toString(), "--model", model.toString(), "--output", output.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("error: " + data + " was tokenized with someone/roberta-variant (fingerprint "
        + other.substring(0, 12) + "), but the model's tokenizer in "), run.err());
    assertTrue(run.err().contains("encodes differently"), run.err());
    assertTrue(run.err().contains("preprocess again with --tokenizer"), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    assertFalse(Files.exists(output));
  }

  /** The hub's file, a cached copy and the bundled copy differ in bytes, not in what they encode. */
  @Test
  void dataMadeWithAnotherCopyOfTheModelsTokenizerIsAccepted() throws Exception {
    Path model = TrainData.tinyModel(dir.resolve("model"));
    JsonNode tokenizer = JSON.readTree(Files.readAllBytes(model.resolve("tokenizer.json")));
    byte[] otherCopy = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tokenizer);
    com.fasterxml.jackson.databind.node.ObjectNode manifest = JSON.createObjectNode();
    manifest.putObject("tokenizer").put("id", "distilroberta-base")
        .put("fingerprint", TokenizerFingerprint.of(otherCopy));
    org.mlmspark.train.job.Training.requireDataTokenizer(manifest, "data", ModelDirectory.of(
        new org.apache.hadoop.fs.Path(model.toUri()), new Configuration()));
  }

  @Test
  void anOutputHoldingFilesTrainingDoesNotWriteIsRefusedAndLeftAlone() throws Exception {
    Path output = Files.createDirectories(dir.resolve("out"));
    Files.writeString(output.resolve("something"), "x");
    Run run = train("--data", dir.toString(), "--model", TrainData.tinyModel(dir.resolve("model")).toString(),
        "--output", output.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("holds something, which bin/train did not write"), run.err());
    assertEquals("x", Files.readString(output.resolve("something")));
  }
}
