package org.mlmspark.train.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.mlmspark.support.Json;
import org.mlmspark.train.TrainingHistory;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.TrainingState;

/**
 * {@code trainer_state.json} as HF Trainer writes it (global_step, epoch, log_history, best metric, ...), plus the
 * recipe under {@code mlm_spark}, which a resumed run must repeat: the steps' samples, masks and learning rates
 * depend on it.
 */
public final class TrainerStateFile {
  public static final String NAME = "trainer_state.json";

  private static final ObjectMapper JSON = Json.mapper();
  /** Settings that only decide when to log and save: free to change on resume. */
  private static final Set<String> SCHEDULING_ONLY = Set.of("evalEvery", "checkpointEvery");

  private TrainerStateFile() {}

  /** What a resumed run takes from the file. */
  public record Saved(long globalStep, TrainingHistory history) {}

  public static byte[] toJson(TrainingState state, TrainingSettings settings, int trainBlocks, int stepsPerEpoch) {
    ObjectNode json = JSON.createObjectNode();
    TrainingHistory history = state.history();
    TrainingHistory.EvalLog best = history.evals().stream()
        .min(Comparator.comparingDouble(TrainingHistory.EvalLog::loss)).orElse(null);
    json.put("global_step", state.globalStep());
    json.put("epoch", (double) state.globalStep() / stepsPerEpoch);
    json.put("max_steps", state.schedule().totalSteps());
    json.put("num_train_epochs", (int) Math.ceil((double) state.schedule().totalSteps() / stepsPerEpoch));
    json.put("train_batch_size", settings.batchSize());
    json.put("logging_steps", 1);
    json.put("save_steps", settings.checkpointEvery());
    json.put("eval_steps", settings.evalEvery());
    if (best == null) {
      json.putNull("best_metric");
      json.putNull("best_global_step");
    } else {
      json.put("best_metric", best.loss());
      json.put("best_global_step", best.step());
    }
    json.putNull("best_model_checkpoint");
    json.put("is_local_process_zero", true);
    json.put("is_world_process_zero", true);
    json.set("log_history", history.toLogHistory());
    ObjectNode ours = json.putObject("mlm_spark");
    ours.set("settings", JSON.valueToTree(settings));
    ours.put("train_blocks", trainBlocks);
    try {
      return Json.pretty().writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a checkpoint's state, refusing one made with another recipe or other data: resuming it would not
   * continue the same run.
   */
  public static Saved read(byte[] bytes, TrainingSettings settings, int trainBlocks, String where)
      throws IOException {
    JsonNode json = JSON.readTree(bytes);
    JsonNode ours = json.path("mlm_spark");
    ObjectNode saved = (ObjectNode) ours.path("settings");
    ObjectNode wanted = JSON.valueToTree(settings);
    Set<String> differences = new TreeSet<>();
    for (Iterator<String> names = wanted.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      // as text: a long read back from JSON is an IntNode, unequal to the LongNode it was written from
      // a switch the checkpoint does not know yet was off when it was made
      String before = !saved.has(name) && wanted.get(name).isBoolean() ? "false" : saved.path(name).asText();
      String now = wanted.get(name).asText();
      if (!SCHEDULING_ONLY.contains(name) && !before.equals(now)) {
        differences.add(name + " " + before + " (now " + now + ")");
      }
    }
    if (ours.path("train_blocks").asInt(-1) != trainBlocks) {
      differences.add("training blocks " + ours.path("train_blocks") + " (now " + trainBlocks + ")");
    }
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException("cannot resume from " + where + ": it was made with "
          + String.join(", ", List.copyOf(differences)) + "; resume with the same data and recipe");
    }
    return new Saved(json.get("global_step").asLong(), TrainingHistory.fromLogHistory(json.get("log_history")));
  }
}
