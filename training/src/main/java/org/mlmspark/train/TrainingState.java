package org.mlmspark.train;

import org.mlmspark.train.optim.AdamW;
import org.mlmspark.train.optim.LinearWarmupSchedule;

/**
 * Everything a run carries from step to step besides the model's parameters: the optimizer (moments, step
 * count), the schedule, how many optimizer steps are done, and the history. With the seed, the step count fixes
 * the data position, the masks and the dropout draws, so this plus the parameters is a complete checkpoint.
 */
public final class TrainingState {
  private final AdamW optimizer;
  private final LinearWarmupSchedule schedule;
  private final TrainingHistory history;
  private long globalStep;

  public TrainingState(AdamW optimizer, LinearWarmupSchedule schedule, long globalStep, TrainingHistory history) {
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.globalStep = globalStep;
    this.history = history;
  }

  public AdamW optimizer() {
    return optimizer;
  }

  public LinearWarmupSchedule schedule() {
    return schedule;
  }

  public TrainingHistory history() {
    return history;
  }

  /** Optimizer steps completed. */
  public long globalStep() {
    return globalStep;
  }

  public boolean finished() {
    return globalStep >= schedule.totalSteps();
  }

  void completeStep() {
    globalStep++;
  }
}
