package org.mlmspark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.mlmspark.support.Json;

/**
 * What a run logged, step by step and evaluation by evaluation: the source of {@code metrics.jsonl}, the
 * {@code log_history} of {@code trainer_state.json} (HF's key names) and the loss plot. Checkpoints carry it, so
 * a resumed run's history is the uninterrupted run's.
 */
public final class TrainingHistory {
  /** One optimizer step; {@code epoch} is fractional like HF's (global step / steps per epoch). */
  public record StepLog(long step, double epoch, double loss, double gradNorm, double learningRate,
      double tokensPerSecond) {}

  /** One evaluation on the test split; {@code accuracy} is the top-1 accuracy on the masked positions. */
  public record EvalLog(long step, double epoch, double loss, double accuracy, double runtimeSeconds) {
    public double perplexity() {
      return Math.exp(loss);
    }
  }

  private static final ObjectMapper JSON = Json.mapper();

  private final List<StepLog> steps = new ArrayList<>();
  private final List<EvalLog> evals = new ArrayList<>();

  public List<StepLog> steps() {
    return steps;
  }

  public List<EvalLog> evals() {
    return evals;
  }

  public void add(StepLog log) {
    steps.add(log);
  }

  public void add(EvalLog log) {
    evals.add(log);
  }

  /** The mean step loss over steps (from, to]: what HF's table shows as the training loss of an interval. */
  public double meanLoss(long fromStep, long toStep) {
    return steps.stream().filter(s -> s.step() > fromStep && s.step() <= toStep)
        .mapToDouble(StepLog::loss).average().orElse(Double.NaN);
  }

  /** HF's log_history: step entries and eval entries in the order they happened. */
  public ArrayNode toLogHistory() {
    ArrayNode history = JSON.createArrayNode();
    int e = 0;
    for (StepLog step : steps) {
      history.add(toJson(step));
      while (e < evals.size() && evals.get(e).step() == step.step()) {
        history.add(toJson(evals.get(e++)));
      }
    }
    while (e < evals.size()) {
      history.add(toJson(evals.get(e++)));
    }
    return history;
  }

  public static ObjectNode toJson(StepLog step) {
    ObjectNode node = JSON.createObjectNode();
    node.put("step", step.step());
    node.put("epoch", step.epoch());
    node.put("loss", step.loss());
    node.put("learning_rate", step.learningRate());
    node.put("grad_norm", step.gradNorm());
    node.put("tokens_per_s", step.tokensPerSecond());
    return node;
  }

  public static ObjectNode toJson(EvalLog eval) {
    ObjectNode node = JSON.createObjectNode();
    node.put("step", eval.step());
    node.put("epoch", eval.epoch());
    node.put("eval_loss", eval.loss());
    node.put("perplexity", eval.perplexity());
    node.put("eval_accuracy", eval.accuracy());
    node.put("eval_runtime", eval.runtimeSeconds());
    return node;
  }

  /** Reads back {@link #toLogHistory()}. */
  public static TrainingHistory fromLogHistory(JsonNode history) {
    TrainingHistory parsed = new TrainingHistory();
    for (JsonNode node : history) {
      if (node.has("eval_loss")) {
        parsed.add(new EvalLog(node.get("step").asLong(), node.get("epoch").asDouble(),
            node.get("eval_loss").asDouble(), node.path("eval_accuracy").asDouble(Double.NaN),
            node.get("eval_runtime").asDouble()));
      } else if (node.has("loss")) {
        parsed.add(new StepLog(node.get("step").asLong(), node.get("epoch").asDouble(), node.get("loss").asDouble(),
            node.get("grad_norm").asDouble(), node.get("learning_rate").asDouble(),
            node.get("tokens_per_s").asDouble()));
      }
    }
    return parsed;
  }
}
