package org.mlmspark.preprocess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The guide's {@code group_texts} over one batch, streamed: the batch's token lists are concatenated and cut into
 * blocks of {@code blockSize}; the remainder at the end of the batch is dropped. Exactly like the guide, a batch
 * with fewer tokens than one block yields that short block (its {@code total_length} is not rounded down then).
 * Streaming keeps memory at one block, so a whole Spark partition can be one batch ({@code --group-by partition}).
 */
public final class BlockGrouper {
  private final int blockSize;
  private final int[] pending;
  private int filled;
  private int blocksInBatch;

  public BlockGrouper(int blockSize) {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size must be positive: " + blockSize);
    }
    this.blockSize = blockSize;
    this.pending = new int[blockSize];
  }

  /** Appends the next row of the batch; returns the blocks it completed, in order (often none). */
  public List<int[]> add(int[] tokenIds) {
    List<int[]> done = new ArrayList<>(tokenIds.length / blockSize + 1);
    int from = 0;
    while (from < tokenIds.length) {
      int n = Math.min(blockSize - filled, tokenIds.length - from);
      System.arraycopy(tokenIds, from, pending, filled, n);
      filled += n;
      from += n;
      if (filled == blockSize) {
        done.add(pending.clone());
        filled = 0;
        blocksInBatch++;
      }
    }
    return done;
  }

  /** Ends the batch and resets for the next one. */
  public BatchEnd finish() {
    BatchEnd end =
        blocksInBatch == 0 && filled > 0
            ? new BatchEnd(Arrays.copyOf(pending, filled), 0)
            : new BatchEnd(null, filled);
    filled = 0;
    blocksInBatch = 0;
    return end;
  }

  /**
   * @param shortBlock the whole batch as one block when it never filled a block, else null
   * @param tokensDropped tokens after the batch's last full block
   */
  public record BatchEnd(int[] shortBlock, int tokensDropped) {}
}
