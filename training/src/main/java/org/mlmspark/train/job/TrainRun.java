package org.mlmspark.train.job;

import java.time.Duration;
import org.mlmspark.hub.HubSettings;
import org.mlmspark.train.Compute;
import org.mlmspark.train.ReportTo;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.hub.HubStrategy;

/**
 * Everything a training run depends on besides its data: what {@code bin/train}'s flags and {@code bin/pipeline}'s
 * {@code train.*} settings say. Values no run could use are refused here, with the flag's name.
 *
 * @param data preprocessed blocks (train/, test/, manifest.json)
 * @param model the model to start from: a directory or hub id
 * @param tokenizer the tokenizer's directory when it is not in the model's, or null
 * @param output where the trained model goes
 * @param recipe the optimizer, schedule, masking and evaluation settings (HF's TrainingArguments)
 * @param resume a fresh run, the newest checkpoint in the output, or a given one
 * @param workers data-parallel ranks, one Spark task each; 1 trains in this JVM
 * @param collectiveTimeout how long a rank waits for the others
 * @param push where the model goes on the hub, or null
 * @param modelName the model's name in its card, or null for the hub repository's or the output's name
 */
public record TrainRun(
    String data,
    String model,
    String tokenizer,
    String output,
    TrainingSettings recipe,
    Resume resume,
    Compute compute,
    int workers,
    Duration collectiveTimeout,
    int keepCheckpoints,
    int logEvery,
    ReportTo reportTo,
    HubPush push,
    String modelName) {

  public TrainRun {
    require(data != null && model != null && output != null, "--data, --model and --output are required");
    require(logEvery >= 1 && keepCheckpoints >= 1 && workers >= 1,
        "--log-every, --keep-checkpoints and --workers must be >= 1");
    require(collectiveTimeout.toSeconds() >= 1, "--collective-timeout must be >= 1 second");
    require(push == null || push.strategy() == HubStrategy.END || workers == 1, "--hub-strategy "
        + (push == null ? "" : push.strategy()) + " needs --workers 1 (the checkpoints of data-parallel runs are"
        + " written on an executor); use --hub-strategy end");
  }

  /**
   * A run with {@code bin/train}'s defaults besides the recipe: the model's own tokenizer, a fresh start, the best
   * device found, one worker, 30 minutes for a collective, 2 checkpoints kept, a line every 10 steps, no TensorBoard,
   * no push.
   */
  public static TrainRun of(String data, String model, String output, TrainingSettings recipe) {
    return new TrainRun(data, model, null, output, recipe, Resume.FRESH, new Compute("auto", false), 1,
        Duration.ofSeconds(1800), 2, 10, ReportTo.NONE, null, null);
  }

  /** The same run on other data, into another output, starting as {@code from} says. */
  public TrainRun with(String data, String output, Resume from) {
    return new TrainRun(data, model, tokenizer, output, recipe, from, compute, workers, collectiveTimeout,
        keepCheckpoints, logEvery, reportTo, push, modelName);
  }

  /** Where a run starts: at step 0, from the newest checkpoint in its output, or from a given checkpoint. */
  public record Resume(boolean requested, String checkpoint) {
    public static final Resume FRESH = new Resume(false, null);
    public static final Resume LATEST = new Resume(true, null);

    public static Resume from(String checkpoint) {
      return new Resume(true, checkpoint);
    }
  }

  /**
   * Pushing to the hub as HF Trainer's {@code push_to_hub} does.
   *
   * @param modelId USER/NAME or NAME, or null for the output directory's name
   * @param hub the endpoint and token, null for the environment's (HF_ENDPOINT, HF_TOKEN)
   */
  public record HubPush(String modelId, boolean privateRepo, HubStrategy strategy, HubSettings hub) {}

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
