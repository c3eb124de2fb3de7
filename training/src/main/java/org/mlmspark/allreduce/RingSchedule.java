package org.mlmspark.allreduce;

/**
 * Which chunk each rank sends and receives at each step of a ring all-reduce. Pure arithmetic, no I/O.
 *
 * <p>A buffer of {@code length} floats is cut into {@code worldSize} contiguous chunks whose sizes differ by at
 * most one (the first {@code length % worldSize} chunks are one longer; with fewer floats than ranks, some chunks
 * are empty). Rank {@code r} sends to its right neighbour {@code r+1} and receives from its left neighbour
 * {@code r-1} (mod {@code worldSize}).
 *
 * <ul>
 *   <li>Reduce-scatter, steps {@code s = 0 .. worldSize-2}: send chunk {@code r-s}, receive chunk {@code r-s-1}
 *       and add the received partial sum into it. Afterwards rank {@code r} holds the complete sum of
 *       {@link #ownedChunk() chunk r+1}.
 *   <li>All-gather, same steps: send chunk {@code r+1-s}, receive chunk {@code r-s} and overwrite it with the
 *       complete sum.
 * </ul>
 *
 * <p>Chunk {@code c} is therefore always summed in the order {@code ((x[c] + x[c+1]) + x[c+2]) + ...} (ranks mod
 * worldSize), fixed by the schedule and independent of timing; every rank ends with a byte copy of the owner's
 * result, so all ranks hold bit-identical buffers.
 */
public final class RingSchedule {
  /** The two phases of the ring algorithm. */
  public enum Phase {
    REDUCE_SCATTER("reduce-scatter"),
    ALL_GATHER("all-gather");

    private final String label;

    Phase(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  private final int worldSize;
  private final int rank;

  public RingSchedule(int worldSize, int rank) {
    if (worldSize < 1) {
      throw new IllegalArgumentException("world size must be at least 1, got " + worldSize);
    }
    if (rank < 0 || rank >= worldSize) {
      throw new IllegalArgumentException("rank " + rank + " is outside 0.." + (worldSize - 1));
    }
    this.worldSize = worldSize;
    this.rank = rank;
  }

  public int worldSize() {
    return worldSize;
  }

  public int rank() {
    return rank;
  }

  /** Steps per phase. */
  public int steps() {
    return worldSize - 1;
  }

  public int right() {
    return mod(rank + 1);
  }

  public int left() {
    return mod(rank - 1);
  }

  public int sendChunk(Phase phase, int step) {
    checkStep(step);
    return phase == Phase.REDUCE_SCATTER ? mod(rank - step) : mod(rank + 1 - step);
  }

  public int receiveChunk(Phase phase, int step) {
    checkStep(step);
    return phase == Phase.REDUCE_SCATTER ? mod(rank - step - 1) : mod(rank - step);
  }

  /** The chunk whose complete sum this rank holds after reduce-scatter. */
  public int ownedChunk() {
    return right();
  }

  /** First float of {@code chunk} in a buffer of {@code length} floats. */
  public long chunkOffset(long length, int chunk) {
    checkChunk(chunk);
    long base = length / worldSize;
    return chunk * base + Math.min(chunk, length % worldSize);
  }

  /** Floats in {@code chunk} of a buffer of {@code length} floats. */
  public long chunkLength(long length, int chunk) {
    checkChunk(chunk);
    return length / worldSize + (chunk < length % worldSize ? 1 : 0);
  }

  private int mod(int i) {
    return Math.floorMod(i, worldSize);
  }

  private void checkStep(int step) {
    if (step < 0 || step >= steps()) {
      throw new IllegalArgumentException("step " + step + " is outside 0.." + (steps() - 1));
    }
  }

  private void checkChunk(int chunk) {
    if (chunk < 0 || chunk >= worldSize) {
      throw new IllegalArgumentException("chunk " + chunk + " is outside 0.." + (worldSize - 1));
    }
  }
}
