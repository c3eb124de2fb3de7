package org.mlmspark.train.optim;

/**
 * transformers' {@code get_linear_schedule_with_warmup}: the learning rate rises linearly from 0 to the peak
 * over the warmup steps, then falls linearly to 0 at the last step.
 *
 * <p>{@link #learningRate(long)} takes the number of completed optimizer steps, so the update of step k
 * (counting from 1) uses {@code learningRate(k - 1)}; that is the value HF logs for step k, and the first
 * update runs at lr 0 when there is warmup.
 */
public record LinearWarmupSchedule(double peakLearningRate, long warmupSteps, long totalSteps) {
  public LinearWarmupSchedule {
    if (!(peakLearningRate >= 0) || warmupSteps < 0 || totalSteps < 1) {
      throw new IllegalArgumentException("invalid schedule: lr " + peakLearningRate + ", warmup " + warmupSteps
          + ", total " + totalSteps);
    }
  }

  /** {@code TrainingArguments.get_warmup_steps} for a ratio in [0, 1): ceil(total × ratio). */
  public static long warmupStepsForRatio(double ratio, long totalSteps) {
    if (!(ratio >= 0 && ratio < 1)) {
      throw new IllegalArgumentException("warmup ratio must be in [0, 1), got " + ratio);
    }
    return (long) Math.ceil(totalSteps * ratio);
  }

  public double learningRate(long completedSteps) {
    if (completedSteps < warmupSteps) {
      return peakLearningRate * completedSteps / Math.max(1, warmupSteps);
    }
    return peakLearningRate
        * Math.max(0.0, (double) (totalSteps - completedSteps) / Math.max(1, totalSteps - warmupSteps));
  }
}
