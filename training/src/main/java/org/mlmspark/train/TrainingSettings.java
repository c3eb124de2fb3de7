package org.mlmspark.train;

import java.io.Serializable;
import org.mlmspark.train.data.BatchPlan;
import org.mlmspark.train.optim.AdamW;
import org.mlmspark.train.optim.LinearWarmupSchedule;

/**
 * The recipe of a run, with HF Trainer's meanings. Defaults are the guide's ({@link #guide()}).
 *
 * @param epochs           passes over the training set (HF num_train_epochs); ignored when maxSteps &gt; 0
 * @param batchSize        samples per micro-batch per worker (per_device_train_batch_size)
 * @param warmupSteps      linear warmup length; 0 = {@code warmupRatio} of the run (as in HF, steps win)
 * @param maxSteps         run length in optimizer steps; 0 = epochs decide
 * @param evalEvery        evaluate every this many steps; 0 = at the end of every epoch
 * @param checkpointEvery  write a checkpoint every this many steps; 0 = never
 * @param wholeWordMask    mask whole words (transformers' whole_word_mask=True); needs the data's word starts
 */
public record TrainingSettings(
    double epochs,
    double learningRate,
    double weightDecay,
    int batchSize,
    double mlmProbability,
    long seed,
    long warmupSteps,
    double warmupRatio,
    double maxGradNorm,
    int gradientAccumulationSteps,
    long maxSteps,
    long evalEvery,
    long checkpointEvery,
    boolean wholeWordMask) implements Serializable {

  public TrainingSettings {
    require(maxSteps > 0 || epochs > 0, "epochs must be > 0 (or give max steps)");
    require(learningRate >= 0, "learning rate must be >= 0");
    require(weightDecay >= 0, "weight decay must be >= 0");
    require(batchSize >= 1, "batch size must be >= 1");
    require(mlmProbability > 0 && mlmProbability < 1, "mlm probability must be in (0, 1)");
    require(warmupSteps >= 0, "warmup steps must be >= 0");
    require(warmupRatio >= 0 && warmupRatio < 1, "warmup ratio must be in [0, 1)");
    require(maxGradNorm > 0, "max grad norm must be > 0");
    require(gradientAccumulationSteps >= 1, "gradient accumulation steps must be >= 1");
    require(maxSteps >= 0 && evalEvery >= 0 && checkpointEvery >= 0,
        "max steps, eval and checkpoint intervals must be >= 0");
  }

  /** The guide's TrainingArguments: 3 epochs, lr 2e-5, weight decay 0.01, batch 8, no warmup, clip 1.0. */
  public static TrainingSettings guide() {
    return new TrainingSettings(3, 2e-5, 0.01, 8, 0.15, 42, 0, 0, 1.0, 1, 0, 0, 500, false);
  }

  public BatchPlan plan(int ranks) {
    return new BatchPlan(batchSize, ranks, gradientAccumulationSteps);
  }

  public AdamW.Hyperparameters adamW() {
    return AdamW.Hyperparameters.hfDefaults(weightDecay);
  }

  /** The learning-rate schedule over the whole run, as HF sizes it from the data and the recipe. */
  public LinearWarmupSchedule schedule(BatchPlan plan, int trainSize) {
    long total = plan.totalSteps(trainSize, epochs, maxSteps);
    long warmup = warmupSteps > 0 ? warmupSteps : LinearWarmupSchedule.warmupStepsForRatio(warmupRatio, total);
    return new LinearWarmupSchedule(learningRate, warmup, total);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** {@code epoch} (0: at every epoch's end) or a positive step count, as {@code --eval-every} takes it. */
  public static long parseEvalEvery(String value) {
    if ("epoch".equalsIgnoreCase(value)) {
      return 0;
    }
    try {
      long steps = Long.parseLong(value);
      if (steps > 0) {
        return steps;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException("--eval-every must be 'epoch' or a positive step count, got " + value);
  }
}
