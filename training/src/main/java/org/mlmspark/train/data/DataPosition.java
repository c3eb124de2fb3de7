package org.mlmspark.train.data;

/**
 * Where training stands in the data: the next optimizer step to run, as (epoch, step within the epoch), both
 * from 0. A checkpoint records it; resuming from it replays exactly the samples and masks that were next.
 */
public record DataPosition(int epoch, int step) {
  public static final DataPosition START = new DataPosition(0, 0);

  public DataPosition {
    if (epoch < 0 || step < 0) {
      throw new IllegalArgumentException("invalid data position: epoch " + epoch + ", step " + step);
    }
  }

  /** The position after {@code globalStep} completed optimizer steps. */
  public static DataPosition afterSteps(long globalStep, int stepsPerEpoch) {
    return new DataPosition(Math.toIntExact(globalStep / stepsPerEpoch), (int) (globalStep % stepsPerEpoch));
  }

  /** Completed optimizer steps at this position: what the lr schedule and the logs count. */
  public long globalStep(int stepsPerEpoch) {
    return (long) epoch * stepsPerEpoch + step;
  }

  public DataPosition next(int stepsPerEpoch) {
    return step + 1 < stepsPerEpoch ? new DataPosition(epoch, step + 1) : new DataPosition(epoch + 1, 0);
  }
}
