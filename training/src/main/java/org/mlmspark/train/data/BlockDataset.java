package org.mlmspark.train.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The token blocks of one split, in their global order, held as one int array plus offsets: a few bytes per
 * token, cheap to broadcast to data-parallel workers. Sample index i is the i-th block.
 */
public final class BlockDataset implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] tokens;
  private final int[] offsets;

  private BlockDataset(int[] tokens, int[] offsets) {
    this.tokens = tokens;
    this.offsets = offsets;
  }

  public static BlockDataset of(List<int[]> blocks) {
    Builder builder = new Builder();
    blocks.forEach(builder::add);
    return builder.build();
  }

  public int size() {
    return offsets.length - 1;
  }

  public long tokenCount() {
    return tokens.length;
  }

  /** A copy of block {@code index}'s token ids. */
  public int[] block(int index) {
    return Arrays.copyOfRange(tokens, offsets[index], offsets[index + 1]);
  }

  public List<int[]> blocks(int[] indexes) {
    List<int[]> blocks = new ArrayList<>(indexes.length);
    for (int index : indexes) {
      blocks.add(block(index));
    }
    return blocks;
  }

  /** Appends blocks into a growing array, so loading never holds the blocks twice as objects. */
  public static final class Builder {
    private int[] tokens = new int[1 << 16];
    private int[] offsets = new int[1 << 10];
    private int blocks;

    public Builder add(int[] block) {
      int start = offsets[blocks];
      if (start + block.length > tokens.length) {
        tokens = Arrays.copyOf(tokens, Math.max(tokens.length * 2, start + block.length));
      }
      System.arraycopy(block, 0, tokens, start, block.length);
      if (blocks + 2 > offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      offsets[++blocks] = start + block.length;
      return this;
    }

    public BlockDataset build() {
      return new BlockDataset(Arrays.copyOf(tokens, offsets[blocks]), Arrays.copyOf(offsets, blocks + 1));
    }
  }
}
