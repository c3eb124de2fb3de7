package org.mlmspark.train.data;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * transformers' {@code DataCollatorForLanguageModeling(mlm=True, mlm_probability=p)}: pads a list of blocks to
 * the longest, then picks each non-special token with probability p; of the picked, 80 % become
 * {@code <mask>}, half of the rest (10 %) a random id in [0, len(tokenizer)), the rest stay; labels hold the
 * original id at picked positions and -100 elsewhere.
 *
 * <p>The draws follow the collator's order per token: bernoulli(p) to pick, bernoulli(0.8) to mask, then
 * bernoulli(0.5) to randomise among the unmasked picks. They come from a stream keyed by (seed, epoch,
 * global sample index) instead of one torch generator for the whole batch, so a sample gets the same masks
 * whichever worker, thread or batch handles it, and new masks every epoch. The proportions are HF's; the
 * individual draws are not torch's (its generator is not reproduced).
 */
public final class MlmMasking {
  /** The collator's defaults: mask_replace_prob 0.8, random_replace_prob 0.1 (0.5 of the remaining 0.2). */
  static final double MASK_REPLACE_PROBABILITY = 0.8;

  static final double RANDOM_AMONG_UNMASKED_PROBABILITY = 0.1 / (1 - MASK_REPLACE_PROBABILITY);

  private final boolean[] special;
  private final int maskId;
  private final int padId;
  private final int vocabSize;
  private final double mlmProbability;
  private final long seed;

  public MlmMasking(SpecialTokens tokens, double mlmProbability, long seed) {
    if (!(mlmProbability > 0 && mlmProbability < 1)) {
      throw new IllegalArgumentException("mlm probability must be in (0, 1), got " + mlmProbability);
    }
    this.vocabSize = tokens.vocabSize();
    int[] specialIds = tokens.ids();
    this.special = new boolean[Math.max(vocabSize, specialIds[specialIds.length - 1] + 1)];
    for (int id : specialIds) {
      special[id] = true;
    }
    this.maskId = tokens.maskId();
    this.padId = tokens.padId();
    this.mlmProbability = mlmProbability;
    this.seed = seed;
  }

  /**
   * Collates blocks into a masked batch.
   *
   * @param blocks        token ids of each sample
   * @param sampleIndexes each block's index in the training set (its identity across epochs and workers)
   * @param epoch         the epoch, so every epoch masks differently
   */
  public MaskedBatch collate(List<int[]> blocks, int[] sampleIndexes, int epoch) {
    if (blocks.size() != sampleIndexes.length) {
      throw new IllegalArgumentException(blocks.size() + " blocks but " + sampleIndexes.length + " sample indexes");
    }
    int rows = blocks.size();
    int length = blocks.stream().mapToInt(block -> block.length).max().orElse(0);
    int[] inputIds = new int[rows * length];
    int[] attentionMask = new int[rows * length];
    int[] labels = new int[rows * length];
    for (int row = 0; row < rows; row++) {
      int[] block = blocks.get(row);
      int offset = row * length;
      // Right padding, as tokenizer.pad does; pad is special, so padding is never picked below.
      System.arraycopy(block, 0, inputIds, offset, block.length);
      Arrays.fill(inputIds, offset + block.length, offset + length, padId);
      Arrays.fill(attentionMask, offset, offset + block.length, 1);
      maskRow(inputIds, labels, offset, length, epoch, sampleIndexes[row]);
    }
    return new MaskedBatch(rows, length, inputIds, attentionMask, labels);
  }

  /** Masks {@code ids[offset, offset + length)} in place and writes the labels of those positions. */
  private void maskRow(int[] ids, int[] labels, int offset, int length, int epoch, int sampleIndex) {
    SplittableRandom random = RandomStreams.stream(seed, RandomStreams.Purpose.MASKING, epoch, sampleIndex);
    for (int i = offset; i < offset + length; i++) {
      int original = ids[i];
      if (original < 0 || original >= vocabSize) {
        throw new IllegalArgumentException(
            "token id " + original + " of sample " + sampleIndex + " is outside the vocabulary [0, " + vocabSize + ")");
      }
      if (special[original] || random.nextDouble() >= mlmProbability) {
        labels[i] = MaskedBatch.IGNORE_INDEX;
        continue;
      }
      labels[i] = original;
      if (random.nextDouble() < MASK_REPLACE_PROBABILITY) {
        ids[i] = maskId;
      } else if (random.nextDouble() < RANDOM_AMONG_UNMASKED_PROBABILITY) {
        ids[i] = random.nextInt(vocabSize);
      }
    }
  }
}
