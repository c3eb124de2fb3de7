package org.mlmspark.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mlmspark.tokenizer.SpecialTokens;

class MlmMaskingTest {
  /** A 1,000-id vocabulary with RoBERTa's special ids (<s> 0, <pad> 1, </s> 2, <unk> 3) and <mask> at 999. */
  static final SpecialTokens TOKENS = smallVocabulary();

  static final int MASK = 999;
  static final int LENGTH = 128;

  @Test
  void proportionsAreTheCollatorsOnManyTokens() {
    MlmMasking masking = new MlmMasking(TOKENS, 0.15, 42);
    int samples = 2000;
    MaskedBatch batch = masking.collate(blocks(samples, 1), indexes(0, samples), 0);
    List<int[]> originals = blocks(samples, 1);
    long eligible = 0;
    long picked = 0;
    long masked = 0;
    long replaced = 0;
    long kept = 0;
    for (int row = 0; row < samples; row++) {
      int[] original = originals.get(row);
      for (int i = 0; i < LENGTH; i++) {
        int at = row * LENGTH + i;
        eligible += original[i] > 3 ? 1 : 0;
        if (batch.labels()[at] == MaskedBatch.IGNORE_INDEX) {
          continue;
        }
        picked++;
        int input = batch.inputIds()[at];
        if (input == MASK) {
          masked++;
        } else if (input != original[i]) {
          replaced++;
        } else {
          kept++;
        }
      }
    }
    // ~254k eligible tokens: one standard deviation of the picked fraction is 0.0007, of the others ~0.002.
    // The bounds are >= 7 sigma wide; with a fixed seed the outcome is deterministic anyway.
    assertEquals(0.15, (double) picked / eligible, 0.005);
    assertEquals(0.8, (double) masked / picked, 0.015);
    assertEquals(0.1, (double) replaced / picked, 0.015);
    assertEquals(0.1, (double) kept / picked, 0.015); // includes the 1/1000 random draws of the original id
  }

  @Test
  void labelsHoldTheOriginalAtPickedPositionsOnly() {
    List<int[]> blocks = blocks(50, 2);
    MaskedBatch batch = new MlmMasking(TOKENS, 0.15, 1).collate(blocks, indexes(0, 50), 3);
    for (int row = 0; row < 50; row++) {
      for (int i = 0; i < LENGTH; i++) {
        int at = row * LENGTH + i;
        int label = batch.labels()[at];
        if (label == MaskedBatch.IGNORE_INDEX) {
          assertEquals(blocks.get(row)[i], batch.inputIds()[at], "unpicked tokens stay");
        } else {
          assertEquals(blocks.get(row)[i], label);
        }
        assertEquals(1, batch.attentionMask()[at], "equal-length blocks need no padding");
      }
    }
  }

  @Test
  void specialTokensAreNeverPicked() {
    // Half of every block is special ids; at mlm probability 0.9 every other token would be picked.
    int[] block = new int[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      block[i] = i % 2 == 0 ? (i / 2) % 4 : 500 + i;
    }
    block[LENGTH - 1] = MASK; // <mask> itself is special too
    List<int[]> blocks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      blocks.add(block);
    }
    MaskedBatch batch = new MlmMasking(TOKENS, 0.9, 7).collate(blocks, indexes(0, 200), 0);
    for (int at = 0; at < batch.labels().length; at++) {
      int original = block[at % LENGTH];
      if (original <= 3 || original == MASK) {
        assertEquals(MaskedBatch.IGNORE_INDEX, batch.labels()[at]);
        assertEquals(original, batch.inputIds()[at]);
      }
    }
    assertTrue(batch.labelCount() > 200 * 50, "the words around them are picked");
  }

  @Test
  void padAsEosLetsTheOldPadIdBePickedLikeTransformers() {
    SpecialTokens padAsEos = TOKENS.withPadAsEos();
    int[] pads = new int[LENGTH];
    Arrays.fill(pads, 1);
    MaskedBatch batch = new MlmMasking(padAsEos, 0.5, 3).collate(List.of(pads), new int[] {0}, 0);
    assertTrue(batch.labelCount() > 0, "id 1 is an ordinary token once eos is the pad token");
  }

  @Test
  void samePositionSameMasksWhateverTheBatch() {
    MlmMasking masking = new MlmMasking(TOKENS, 0.15, 42);
    List<int[]> blocks = blocks(8, 5);
    MaskedBatch whole = masking.collate(blocks, indexes(100, 8), 2);
    // Sample 103 alone, and in another batch next to other samples, gets the masks it got in the first batch.
    MaskedBatch alone = new MlmMasking(TOKENS, 0.15, 42).collate(List.of(blocks.get(3)), new int[] {103}, 2);
    MaskedBatch mixed = masking.collate(
        List.of(blocks(1, 99).get(0), blocks.get(3)), new int[] {7, 103}, 2);
    assertArrayEquals(row(whole.inputIds(), 3), row(alone.inputIds(), 0));
    assertArrayEquals(row(whole.labels(), 3), row(alone.labels(), 0));
    assertArrayEquals(row(whole.inputIds(), 3), row(mixed.inputIds(), 1));
    assertArrayEquals(row(whole.labels(), 3), row(mixed.labels(), 1));
  }

  @Test
  void deterministicForSeedEpochAndIndex() {
    List<int[]> blocks = blocks(16, 3);
    MaskedBatch first = new MlmMasking(TOKENS, 0.15, 5).collate(blocks, indexes(0, 16), 1);
    MaskedBatch again = new MlmMasking(TOKENS, 0.15, 5).collate(blocks, indexes(0, 16), 1);
    assertArrayEquals(first.inputIds(), again.inputIds());
    assertArrayEquals(first.labels(), again.labels());
    MaskedBatch otherSeed = new MlmMasking(TOKENS, 0.15, 6).collate(blocks, indexes(0, 16), 1);
    assertFalse(Arrays.equals(first.labels(), otherSeed.labels()));
  }

  @Test
  void everyEpochMasksAnew() {
    MlmMasking masking = new MlmMasking(TOKENS, 0.15, 5);
    List<int[]> blocks = blocks(16, 3);
    MaskedBatch epoch0 = masking.collate(blocks, indexes(0, 16), 0);
    MaskedBatch epoch1 = masking.collate(blocks, indexes(0, 16), 1);
    int samePattern = 0;
    for (int row = 0; row < 16; row++) {
      samePattern += Arrays.equals(row(epoch0.labels(), row), row(epoch1.labels(), row)) ? 1 : 0;
    }
    assertEquals(0, samePattern, "no sample keeps its mask pattern from one epoch to the next");
  }

  @Test
  void padsShortBlocksWithThePadTokenAndNeverPicksPadding() {
    SpecialTokens padAsEos = TOKENS.withPadAsEos();
    int[] shortBlock = {0, 500, 501, 2};
    int[] longBlock = blocks(1, 4).get(0);
    MaskedBatch batch = new MlmMasking(padAsEos, 0.9, 2).collate(List.of(shortBlock, longBlock), new int[] {0, 1}, 0);
    assertEquals(LENGTH, batch.sequenceLength());
    for (int i = 4; i < LENGTH; i++) {
      assertEquals(2, batch.inputIds()[i], "padded with eos");
      assertEquals(0, batch.attentionMask()[i]);
      assertEquals(MaskedBatch.IGNORE_INDEX, batch.labels()[i]);
    }
    assertEquals(1, batch.attentionMask()[3]);
  }

  @Test
  void rejectsIdsOutsideTheVocabulary() {
    var error = assertThrows(IllegalArgumentException.class,
        () -> new MlmMasking(TOKENS, 0.15, 0).collate(List.of(new int[] {0, 1000, 2}), new int[] {9}, 0));
    assertTrue(error.getMessage().contains("1000") && error.getMessage().contains("sample 9"), error.getMessage());
  }

  /** Blocks shaped like group_texts output: <s> words </s> ..., words drawn from ids 4..998. */
  static List<int[]> blocks(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<int[]> blocks = new ArrayList<>(count);
    for (int b = 0; b < count; b++) {
      int[] block = random.ints(LENGTH, 4, MASK).toArray();
      block[0] = 0;
      block[LENGTH - 1] = 2;
      blocks.add(block);
    }
    return blocks;
  }

  static int[] indexes(int first, int count) {
    return java.util.stream.IntStream.range(first, first + count).toArray();
  }

  static int[] row(int[] values, int row) {
    return Arrays.copyOfRange(values, row * LENGTH, (row + 1) * LENGTH);
  }

  private static SpecialTokens smallVocabulary() {
    StringBuilder vocab = new StringBuilder("{\"<s>\": 0, \"<pad>\": 1, \"</s>\": 2, \"<unk>\": 3, \"<mask>\": 999");
    for (int id = 4; id < MASK; id++) {
      vocab.append(", \"w").append(id).append("\": ").append(id);
    }
    String tokenizer = "{\"model\": {\"vocab\": " + vocab + "}}}";
    String config = """
        {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>", "pad_token": "<pad>",
         "cls_token": "<s>", "mask_token": "<mask>"}""";
    try {
      return SpecialTokens.parse(SpecialTokensTest.bytes(config), SpecialTokensTest.bytes(tokenizer));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
