package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.mlmspark.model.blocks.NamedParameter;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;

/**
 * The data-parallel equivalence case, wherever the ranks run: a toy corpus of 44 blocks (6 global batches of 8 per
 * epoch, the last one short: 4 samples, 2 per rank), the tiny model without dropout (with dropout a rank draws masks
 * for its own samples only, so N × B/N could not equal 1 × B), and bin/train's arguments for one epoch.
 */
final class DataParallelCase {
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path data;
  final Path model;

  private DataParallelCase(Path data, Path model) {
    this.data = data;
    this.model = model;
  }

  /** Writes the data and the model under {@code dir} (with the test JVM's local Spark). */
  static DataParallelCase create(Path dir) throws Exception {
    TrainData.spark();
    Path data = TrainData.write(dir.resolve("data"), TrainData.corpus(44, 32, 1), TrainData.corpus(8, 32, 2), 2);
    Path model = TrainData.tinyModel(dir.resolve("model"));
    ObjectNode config = (ObjectNode) JSON.readTree(model.resolve("config.json").toFile());
    config.put("hidden_dropout_prob", 0.0).put("attention_probs_dropout_prob", 0.0);
    JSON.writeValue(model.resolve("config.json").toFile(), config);
    return new DataParallelCase(data, model);
  }

  /** bin/train's arguments: one epoch, {@code workers} × {@code batchSize}, a progress line every step. */
  List<String> args(Path output, int workers, int batchSize, String... extra) {
    List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--model", model.toString(),
        "--output", output.toString(), "--epochs", "1", "--batch-size", Integer.toString(batchSize),
        "--learning-rate", "3e-3", "--warmup-steps", "2", "--device", "cpu", "--log-every", "1",
        "--workers", Integer.toString(workers)));
    args.addAll(List.of(extra));
    return args;
  }

  /**
   * bin/train in this JVM, on its active Spark session, also taking {@code --inject-failure}
   * ({@link FaultInjectingTrain}); fails the test unless it exits 0.
   */
  TrainCommandTest.Run train(Path output, int workers, int batchSize, String... extra) {
    TrainCommandTest.Run run = TrainCommandTest.run(new FaultInjectingTrain(),
        args(output, workers, batchSize, extra).toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.out() + run.err());
    return run;
  }

  /**
   * The trained models in {@code a} and {@code b} have the same parameters (relative L2 below 1e-4 in every tensor)
   * and training moved them: the criterion for N × B = 1 × N·B.
   */
  void assertSameTraining(Path a, Path b) throws Exception {
    Map<String, float[]> first = parameters(a);
    Map<String, float[]> second = parameters(b);
    Map<String, float[]> init = parameters(model);
    assertEquals(second.keySet(), first.keySet());
    double moved = 0;
    Map<String, Double> differences = new LinkedHashMap<>();
    for (String name : second.keySet()) {
      if (name.endsWith("attention.self.key.bias")) {
        // Softmax ignores a shift shared by all keys: this gradient is zero but for float rounding, which differs
        // with how the batch is split, and AdamW turns that noise into steps of about lr. Not a parameter to compare.
        continue;
      }
      differences.put(name, relativeL2(first.get(name), second.get(name)));
      moved = Math.max(moved, relativeL2(second.get(name), init.get(name)));
    }
    assertTrue(differences.values().stream().allMatch(d -> d < 1e-4), differences.toString());
    assertTrue(moved > 1e-2, "training changed the parameters: " + moved);
    assertEquals(6, JSON.readTree(a.resolve("trainer_state.json").toFile()).get("global_step").asLong());
  }

  /** Each step's logged loss, grad norm and learning rate, in order. */
  static List<String> steps(Path output) throws Exception {
    List<String> steps = new ArrayList<>();
    for (String line : Files.readAllLines(output.resolve("metrics.jsonl"))) {
      var entry = JSON.readTree(line);
      if (entry.has("loss")) {
        steps.add(entry.get("step") + " " + entry.get("loss") + " " + entry.get("grad_norm") + " "
            + entry.get("learning_rate"));
      }
    }
    return steps;
  }

  static Map<String, float[]> parameters(Path modelDir) throws Exception {
    Map<String, float[]> values = new LinkedHashMap<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      var loaded = Checkpoints.load(
          ModelDirectory.of(new org.apache.hadoop.fs.Path(modelDir.toUri()), new Configuration()), manager);
      for (NamedParameter p : loaded.model().namedParameters()) {
        values.put(p.name(), p.parameter().getArray().toFloatArray());
      }
    }
    return values;
  }

  static double relativeL2(float[] a, float[] b) {
    double difference = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      difference += (double) (a[i] - b[i]) * (a[i] - b[i]);
      norm += (double) b[i] * b[i];
    }
    return Math.sqrt(difference) / Math.max(Math.sqrt(norm), 1e-12);
  }
}
