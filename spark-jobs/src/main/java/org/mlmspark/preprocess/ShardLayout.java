package org.mlmspark.preprocess;

import java.io.Serializable;

/**
 * Where each batch of one split (train or test) is written: the split's batches fill its {@code shards} Parquet
 * files in consecutive runs, so a shard holds blocks in input order and every rerun on the same input writes the
 * same blocks to the same shard.
 */
public record ShardLayout(int shards, long batches) implements Serializable {

  public ShardLayout {
    if (shards <= 0) {
      throw new IllegalArgumentException("shards must be positive: " + shards);
    }
  }

  public int partitionOf(long batch) {
    if (batch < 0 || batch >= batches) {
      throw new IllegalArgumentException("batch " + batch + " outside [0, " + batches + ")");
    }
    return (int) (batch * shards / batches);
  }
}
