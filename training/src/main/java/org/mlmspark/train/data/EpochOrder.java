package org.mlmspark.train.data;

import java.util.SplittableRandom;

/**
 * The order in which one epoch visits the training set: a uniformly random permutation per epoch, like HF
 * Trainer's {@code RandomSampler}, computed from (seed, epoch, dataset size) only.
 *
 * <p>It is a Fisher–Yates shuffle driven by {@link RandomStreams}, not torch's {@code randperm}: the same
 * distribution, not torch's permutation bit for bit. Being a pure function is what matters here: every worker
 * derives the same order without talking to the others, and a resumed run sees the order it would have seen.
 */
public final class EpochOrder {
  private final long seed;
  private final int datasetSize;

  /** The last order computed: training asks for the same epoch step after step. */
  private volatile Epoch cached;

  private record Epoch(int epoch, int[] order) {}

  public EpochOrder(long seed, int datasetSize) {
    if (datasetSize <= 0) {
      throw new IllegalArgumentException("the training set is empty");
    }
    this.seed = seed;
    this.datasetSize = datasetSize;
  }

  public int datasetSize() {
    return datasetSize;
  }

  /** The sample indexes of the dataset in the order epoch {@code epoch} visits them (do not modify). */
  public int[] order(int epoch) {
    Epoch last = cached;
    if (last == null || last.epoch != epoch) {
      last = new Epoch(epoch, shuffle(epoch));
      cached = last;
    }
    return last.order;
  }

  private int[] shuffle(int epoch) {
    SplittableRandom random = RandomStreams.stream(seed, RandomStreams.Purpose.EPOCH_ORDER, epoch, 0);
    int[] order = new int[datasetSize];
    for (int i = 0; i < datasetSize; i++) {
      order[i] = i;
    }
    for (int i = datasetSize - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }
}
