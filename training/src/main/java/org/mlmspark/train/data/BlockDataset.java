package org.mlmspark.train.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The token blocks of one split, in their global order, held as one int array plus offsets: a few bytes per
 * token, cheap to broadcast to data-parallel workers. Sample index i is the i-th block. With preprocessing's
 * word starts, one more byte per token for whole-word masking.
 */
public final class BlockDataset implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] tokens;
  private final int[] offsets;
  /** 1 where a token starts a word, parallel to tokens; null when the data has no word starts. */
  private final byte[] wordStarts;

  private BlockDataset(int[] tokens, int[] offsets, byte[] wordStarts) {
    this.tokens = tokens;
    this.offsets = offsets;
    this.wordStarts = wordStarts;
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

  public boolean hasWordStarts() {
    return wordStarts != null;
  }

  /** The word starts of each block, or null when the data has none. */
  public List<byte[]> wordStarts(int[] indexes) {
    if (wordStarts == null) {
      return null;
    }
    List<byte[]> starts = new ArrayList<>(indexes.length);
    for (int index : indexes) {
      starts.add(Arrays.copyOfRange(wordStarts, offsets[index], offsets[index + 1]));
    }
    return starts;
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
    private byte[] wordStarts;
    private int blocks;

    public Builder add(int[] block) {
      return add(block, null);
    }

    /** @param starts the block's word starts (0 or 1 per token): all blocks have them or none */
    public Builder add(int[] block, int[] starts) {
      if (blocks > 0 && (starts != null) != (wordStarts != null)) {
        throw new IllegalArgumentException("block " + blocks + (starts == null ? " lacks" : " has")
            + " word starts, unlike the blocks before it");
      }
      int start = offsets[blocks];
      if (start + block.length > tokens.length) {
        tokens = Arrays.copyOf(tokens, Math.max(tokens.length * 2, start + block.length));
      }
      System.arraycopy(block, 0, tokens, start, block.length);
      if (starts != null) {
        if (wordStarts == null) {
          wordStarts = new byte[tokens.length];
        } else if (wordStarts.length < tokens.length) {
          wordStarts = Arrays.copyOf(wordStarts, tokens.length);
        }
        for (int i = 0; i < starts.length; i++) {
          wordStarts[start + i] = (byte) starts[i];
        }
      }
      if (blocks + 2 > offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      offsets[++blocks] = start + block.length;
      return this;
    }

    public BlockDataset build() {
      int length = offsets[blocks];
      return new BlockDataset(Arrays.copyOf(tokens, length), Arrays.copyOf(offsets, blocks + 1),
          wordStarts == null ? null : Arrays.copyOf(wordStarts, length));
    }
  }
}
