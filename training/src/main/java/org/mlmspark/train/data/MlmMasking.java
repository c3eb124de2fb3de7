package org.mlmspark.train.data;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.mlmspark.tokenizer.SpecialTokens;

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
 *
 * <p>With whole-word masking, {@code DataCollatorForLanguageModeling(whole_word_mask=True)} of transformers 5:
 * words come from the tokenizer's offsets (a non-special token starts a word when it does not touch the previous
 * token's characters or follows a special token; the first position of a block always starts one), recorded per
 * token by preprocessing ({@code word_start}). Only word starts are drawn, each with probability p, one uniform
 * per position as the collator's bernoulli over the whole row; a drawn word is masked with all its tokens, every
 * masked token becomes {@code <mask>} (the collator sets mask_replace_prob to 1 and random replacement off in this
 * mode), and the labels hold the originals.
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
  private final boolean wholeWord;

  public MlmMasking(SpecialTokens tokens, double mlmProbability, long seed) {
    this(tokens, mlmProbability, seed, false);
  }

  /** @param wholeWord mask whole words; {@link #collate} then needs each block's word starts */
  public MlmMasking(SpecialTokens tokens, double mlmProbability, long seed, boolean wholeWord) {
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
    this.wholeWord = wholeWord;
  }

  public boolean wholeWord() {
    return wholeWord;
  }

  /**
   * Collates blocks into a masked batch.
   *
   * @param blocks        token ids of each sample
   * @param sampleIndexes each block's index in the training set (its identity across epochs and workers)
   * @param epoch         the epoch, so every epoch masks differently
   */
  public MaskedBatch collate(List<int[]> blocks, int[] sampleIndexes, int epoch) {
    return collate(blocks, null, sampleIndexes, epoch);
  }

  /**
   * Collates blocks into a masked batch.
   *
   * @param wordStarts    per block, 1 where a token starts a word (preprocessing's word_start); needed, and only
   *                      read, when masking whole words
   * @param sampleIndexes each block's index in the training set (its identity across epochs and workers)
   * @param epoch         the epoch, so every epoch masks differently
   */
  public MaskedBatch collate(List<int[]> blocks, List<byte[]> wordStarts, int[] sampleIndexes, int epoch) {
    if (blocks.size() != sampleIndexes.length) {
      throw new IllegalArgumentException(blocks.size() + " blocks but " + sampleIndexes.length + " sample indexes");
    }
    if (wholeWord && (wordStarts == null || wordStarts.size() != blocks.size())) {
      throw new IllegalArgumentException("whole-word masking needs the word starts of every block (preprocess"
          + " with --word-starts)");
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
      checkVocabulary(inputIds, offset, length, sampleIndexes[row]);
      SplittableRandom random = RandomStreams.stream(seed, RandomStreams.Purpose.MASKING, epoch, sampleIndexes[row]);
      if (wholeWord) {
        byte[] starts = wordStarts.get(row);
        if (starts.length != block.length) {
          throw new IllegalArgumentException("sample " + sampleIndexes[row] + " has " + block.length
              + " tokens but " + starts.length + " word-start flags");
        }
        maskWholeWords(inputIds, labels, offset, length, starts, random::nextDouble);
      } else {
        maskRow(inputIds, labels, offset, length, random);
      }
    }
    return new MaskedBatch(rows, length, inputIds, attentionMask, labels);
  }

  private void checkVocabulary(int[] ids, int offset, int length, int sampleIndex) {
    for (int i = offset; i < offset + length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabSize) {
        throw new IllegalArgumentException(
            "token id " + ids[i] + " of sample " + sampleIndex + " is outside the vocabulary [0, " + vocabSize + ")");
      }
    }
  }

  /** Masks {@code ids[offset, offset + length)} in place and writes the labels of those positions. */
  private void maskRow(int[] ids, int[] labels, int offset, int length, SplittableRandom random) {
    for (int i = offset; i < offset + length; i++) {
      int original = ids[i];
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

  /**
   * Whole-word masking of {@code ids[offset, offset + length)} in place, labels written: {@code uniforms} gives one
   * number in [0, 1) per position, in order (the collator's bernoulli draws u &lt; p over the whole row). Positions
   * past {@code starts} (padding) are special and never masked.
   */
  void maskWholeWords(int[] ids, int[] labels, int offset, int length, byte[] starts, DoubleSupplier uniforms) {
    boolean inMaskedWord = false;
    boolean previousSpecial = false;
    for (int i = 0; i < length; i++) {
      int at = offset + i;
      int original = ids[at];
      boolean drawn = uniforms.getAsDouble() < mlmProbability;
      boolean isSpecial = special[original];
      if (isSpecial) {
        inMaskedWord = false;
      } else if (startsWord(i, previousSpecial, starts)) {
        inMaskedWord = drawn;
      }
      previousSpecial = isSpecial;
      if (inMaskedWord) {
        labels[at] = original;
        ids[at] = maskId;
      } else {
        labels[at] = MaskedBatch.IGNORE_INDEX;
      }
    }
  }

  /**
   * Whether the non-special token at position {@code i} of a block starts a word, as the collator decides: the
   * block's first position always does (the collator knows no previous token there), so does a token after a
   * special one; elsewhere preprocessing's flag says (its offsets do not touch the previous token's).
   */
  private static boolean startsWord(int i, boolean previousSpecial, byte[] starts) {
    return i == 0 || previousSpecial || starts[i] != 0;
  }

  /** The word starts the collator sees in a block: {@link #startsWord} at every non-special position. */
  boolean[] effectiveWordStarts(int[] block, byte[] starts) {
    boolean[] effective = new boolean[block.length];
    for (int i = 0; i < block.length; i++) {
      effective[i] = !special[block[i]] && startsWord(i, i > 0 && special[block[i - 1]], starts);
    }
    return effective;
  }
}
