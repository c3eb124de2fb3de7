package org.mlmspark.train.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How an epoch's order is cut into optimizer steps: each step takes {@code accumulationSteps} consecutive
 * global micro-batches of {@code batchSizePerRank × ranks} samples, and each global micro-batch is split
 * across the ranks. With the same global micro-batch size, 1 rank × B and N ranks × B/N see the same samples
 * in every step, which is what makes data-parallel training the same computation as a single worker.
 *
 * <p>As in HF Trainer (drop_last false), an epoch's last micro-batch may be short, and so may its last step
 * (fewer micro-batches); the loss is normalised by the label count of the whole step, so that is harmless.
 */
public record BatchPlan(int batchSizePerRank, int ranks, int accumulationSteps) {
  public BatchPlan {
    if (batchSizePerRank < 1 || ranks < 1 || accumulationSteps < 1) {
      throw new IllegalArgumentException("batch size, ranks and accumulation steps must be >= 1, got "
          + batchSizePerRank + ", " + ranks + ", " + accumulationSteps);
    }
  }

  public int globalMicroBatchSize() {
    return Math.multiplyExact(batchSizePerRank, ranks);
  }

  public int microBatchesPerEpoch(int datasetSize) {
    return ceilDiv(datasetSize, globalMicroBatchSize());
  }

  /** Optimizer steps per epoch, as HF's ceil(len(dataloader) / gradient_accumulation_steps). */
  public int stepsPerEpoch(int datasetSize) {
    return ceilDiv(microBatchesPerEpoch(datasetSize), accumulationSteps);
  }

  /** The run's optimizer steps (the lr schedule's length): {@code maxSteps} if positive, else ceil(epochs × per epoch). */
  public long totalSteps(int datasetSize, double epochs, long maxSteps) {
    if (maxSteps > 0) {
      return maxSteps;
    }
    if (!(epochs > 0)) {
      throw new IllegalArgumentException("epochs must be > 0 when no max steps are given, got " + epochs);
    }
    return (long) Math.ceil(epochs * stepsPerEpoch(datasetSize));
  }

  /**
   * The sample indexes rank {@code rank} processes in the step at {@code position}, one array per
   * micro-batch. A rank gets a contiguous share of each global micro-batch; shares of a short last batch
   * differ by at most one sample (and are empty when there are fewer samples than ranks).
   */
  public List<int[]> samplesFor(EpochOrder order, DataPosition position, int rank) {
    if (rank < 0 || rank >= ranks) {
      throw new IllegalArgumentException("rank " + rank + " outside [0, " + ranks + ")");
    }
    int datasetSize = order.datasetSize();
    if (position.step() >= stepsPerEpoch(datasetSize)) {
      throw new IllegalArgumentException(
          "step " + position.step() + " is past the epoch's " + stepsPerEpoch(datasetSize) + " steps");
    }
    int[] epochOrder = order.order(position.epoch());
    int global = globalMicroBatchSize();
    int firstMicro = position.step() * accumulationSteps;
    int endMicro = Math.min(firstMicro + accumulationSteps, microBatchesPerEpoch(datasetSize));
    List<int[]> shares = new ArrayList<>(endMicro - firstMicro);
    for (int micro = firstMicro; micro < endMicro; micro++) {
      int start = micro * global;
      int size = Math.min(global, datasetSize - start);
      int from = start + (int) ((long) rank * size / ranks);
      int to = start + (int) ((long) (rank + 1) * size / ranks);
      shares.add(Arrays.copyOfRange(epochOrder, from, to));
    }
    return shares;
  }

  private static int ceilDiv(int a, int b) {
    return Math.toIntExact(((long) a + b - 1) / b);
  }
}
