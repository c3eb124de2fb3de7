package org.mlmspark.train.data;

import java.util.SplittableRandom;

/**
 * Independent random streams keyed by what they are for and where they are used.
 *
 * <p>Every random decision of training (the epoch's sample order, a sample's masks) comes from a stream
 * keyed by (run seed, purpose, epoch, sample index) and nothing else. So the decisions do not depend on how
 * many workers or threads exist, which batch a sample lands in, or whether the run was resumed: the
 * data-parallel and resume tests rely on exactly that.
 */
public final class RandomStreams {
  /** What a stream is used for; part of its key so that streams for different purposes never coincide. */
  public enum Purpose {
    EPOCH_ORDER,
    MASKING,
    /** Dropout draws of one optimizer step on one rank (torch's generator, re-seeded every step). */
    DROPOUT
  }

  private RandomStreams() {}

  /** The stream for one (purpose, epoch, index) of a run. */
  public static SplittableRandom stream(long seed, Purpose purpose, long epoch, long index) {
    long key = mix(seed);
    key = mix(key ^ (purpose.ordinal() + 1));
    key = mix(key ^ epoch);
    key = mix(key ^ index);
    return new SplittableRandom(key);
  }

  /**
   * SplitMix64's finalizer: a bijection on longs with full avalanche, so that neighbouring keys (epoch 3
   * and 4, sample 17 and 18) give unrelated seeds.
   */
  static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
