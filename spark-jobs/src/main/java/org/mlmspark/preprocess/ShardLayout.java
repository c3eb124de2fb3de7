package org.mlmspark.preprocess;

import java.io.Serializable;

/**
 * Where each batch's blocks are written: train fills Spark partitions {@code [0, shards)}, test
 * {@code [shards, 2 * shards)}, each split's batches in consecutive runs, so a shard holds blocks in input order
 * and every rerun on the same input writes the same blocks to the same shard.
 */
public record ShardLayout(int shardsPerSplit, long trainBatches, long testBatches) implements Serializable {

  public ShardLayout {
    if (shardsPerSplit <= 0) {
      throw new IllegalArgumentException("shards must be positive: " + shardsPerSplit);
    }
  }

  public int partitions() {
    return 2 * shardsPerSplit;
  }

  public int partitionOf(boolean test, long batch) {
    long batches = test ? testBatches : trainBatches;
    if (batch < 0 || batch >= batches) {
      throw new IllegalArgumentException("batch " + batch + " outside [0, " + batches + ")");
    }
    int shard = (int) (batch * shardsPerSplit / batches);
    return test ? shardsPerSplit + shard : shard;
  }
}
