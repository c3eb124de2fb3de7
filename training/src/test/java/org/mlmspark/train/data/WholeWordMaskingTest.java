package org.mlmspark.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlmspark.testing.TestData;
import org.mlmspark.tokenizer.SpecialTokens;

/**
 * Whole-word masking against transformers' own collator on the same blocks (testdata/wwm, made by
 * tools/wwm_fixture.py): the same words, the same masks from the same uniform numbers, the same statistics.
 */
class WholeWordMaskingTest {
  private static JsonNode fixture;
  private static SpecialTokens tokens;
  private static List<int[]> blocks;
  private static List<byte[]> hfWordStarts;

  @BeforeAll
  static void load() throws IOException {
    fixture = new ObjectMapper().readTree(
        TestData.require("wwm/distilroberta-wwm.json").toFile());
    tokens = SpecialTokens.load(TestData.distilrobertaTokenizer()).withPadAsEos();
    blocks = new ArrayList<>();
    hfWordStarts = new ArrayList<>();
    for (JsonNode block : fixture.get("blocks")) {
      blocks.add(ints(block.get("input_ids")));
      hfWordStarts.add(bytes(block.get("word_start")));
    }
  }

  /**
   * Preprocessing's word starts (HF's, per text, on the whole tokenized text), concatenated and cut into blocks as
   * group_texts cuts them, give the collator the words HF's collator finds from the block's offsets.
   */
  @Test
  void theWordsAreTheCollatorsWords() {
    int blockSize = fixture.get("block_size").asInt();
    List<Integer> ids = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    for (JsonNode text : fixture.get("texts")) {
      text.get("input_ids").forEach(id -> ids.add(id.asInt()));
      text.get("word_start").forEach(flag -> starts.add(flag.asInt()));
    }
    MlmMasking masking = new MlmMasking(tokens, 0.15, 1, true);
    int multiTokenWords = 0;
    for (int b = 0; b < blocks.size(); b++) {
      int[] block = new int[blockSize];
      byte[] flags = new byte[blockSize];
      for (int i = 0; i < blockSize; i++) {
        block[i] = ids.get(b * blockSize + i);
        flags[i] = (byte) (int) starts.get(b * blockSize + i);
      }
      assertArrayEquals(blocks.get(b), block, "block " + b);
      boolean[] effective = masking.effectiveWordStarts(block, flags);
      byte[] hf = hfWordStarts.get(b);
      for (int i = 0; i < blockSize; i++) {
        assertEquals(hf[i] != 0, effective[i], "block " + b + " position " + i);
        if (i > 0 && !effective[i] && !isSpecial(block[i])) {
          multiTokenWords++;
        }
      }
    }
    assertTrue(multiTokenWords > 100, "the blocks hold words of several tokens: " + multiTokenWords);
  }

  /** Fed the uniform numbers HF's collator got in place of its bernoulli draws, the same masks and labels. */
  @Test
  void theSameDrawsGiveTheCollatorsMasks() {
    for (JsonNode draw : fixture.get("draws")) {
      double p = draw.get("mlm_probability").asDouble();
      MlmMasking masking = new MlmMasking(tokens, p, 1, true);
      long masked = 0;
      for (int b = 0; b < blocks.size(); b++) {
        int[] ids = blocks.get(b).clone();
        int[] labels = new int[ids.length];
        double[] uniforms = doubles(draw.get("uniforms").get(b));
        int[] next = {0};
        masking.maskWholeWords(ids, labels, 0, ids.length, hfWordStarts.get(b), () -> uniforms[next[0]++]);
        assertEquals(ids.length, next[0], "one uniform per position");
        assertArrayEquals(ints(draw.get("input_ids").get(b)), ids, "input_ids of block " + b + " at p " + p);
        assertArrayEquals(ints(draw.get("labels").get(b)), labels, "labels of block " + b + " at p " + p);
        masked += Arrays.stream(labels).filter(l -> l != MaskedBatch.IGNORE_INDEX).count();
      }
      assertTrue(masked > blocks.size() * 48 * p / 2, masked + " masked at p " + p);
    }
  }

  /**
   * Over 400 epochs of the run's own random streams, word starts are masked as often as the real collator masked
   * them over 400 batches (seeded torch generator), as many tokens, and every masked token shows {@code <mask>}.
   */
  @Test
  void theStatisticsAreTheCollators() {
    JsonNode hf = fixture.get("statistics");
    int rounds = hf.get("rounds").asInt();
    MlmMasking masking = new MlmMasking(tokens, 0.15, 42, true);
    int[] indexes = new int[blocks.size()];
    Arrays.setAll(indexes, i -> i);
    long wordStarts = 0;
    long startsMasked = 0;
    long maskable = 0;
    long tokensMasked = 0;
    long shownAsMask = 0;
    for (int epoch = 0; epoch < rounds; epoch++) {
      MaskedBatch batch = masking.collate(blocks, hfWordStarts, indexes, epoch);
      for (int b = 0; b < blocks.size(); b++) {
        for (int i = 0; i < blocks.get(b).length; i++) {
          int at = b * batch.sequenceLength() + i;
          boolean picked = batch.labels()[at] != MaskedBatch.IGNORE_INDEX;
          boolean start = hfWordStarts.get(b)[i] != 0;
          wordStarts += start ? 1 : 0;
          startsMasked += start && picked ? 1 : 0;
          maskable += isSpecial(blocks.get(b)[i]) ? 0 : 1;
          tokensMasked += picked ? 1 : 0;
          shownAsMask += picked && batch.inputIds()[at] == tokens.maskId() ? 1 : 0;
        }
      }
    }
    assertEquals(hf.get("word_starts").asLong() * rounds, wordStarts);
    assertEquals(hf.get("maskable_tokens").asLong() * rounds, maskable);
    // each rate is a mean of ~10^6 draws of p = 0.15 on both sides: standard deviation of the difference ~5e-4
    assertEquals(hf.get("word_start_mask_rate").asDouble(), (double) startsMasked / wordStarts, 3e-3);
    assertEquals(hf.get("token_mask_rate").asDouble(), (double) tokensMasked / maskable, 3e-3);
    assertEquals(hf.get("shown_as_mask_rate").asDouble(), (double) shownAsMask / tokensMasked);
  }

  /** The word starts a BlockDataset carries reach the collator: words of four tokens are masked whole or not. */
  @Test
  void theDatasetsWordStartsDecideTheWords() {
    BlockDataset.Builder builder = new BlockDataset.Builder();
    for (int b = 0; b < 50; b++) {
      int[] block = new int[33];
      int[] starts = new int[33];
      block[32] = 2; // <s> word x 8 </s>, words of four ordinary ids
      for (int i = 1; i < 32; i++) {
        block[i] = 1000 + b * 40 + i;
        starts[i] = (i - 1) % 4 == 0 ? 1 : 0;
      }
      builder.add(block, starts);
    }
    BlockDataset dataset = builder.build();
    int[] indexes = new int[50];
    Arrays.setAll(indexes, i -> i);
    MaskedBatch batch = new MlmMasking(tokens, 0.3, 9, true)
        .collate(dataset.blocks(indexes), dataset.wordStarts(indexes), indexes, 0);
    int maskedWords = 0;
    for (int b = 0; b < 50; b++) {
      for (int word = 1; word < 32; word += 4) {
        int length = Math.min(4, 32 - word); // the last word ends at </s>
        int masked = 0;
        for (int i = word; i < word + length; i++) {
          masked += batch.labels()[b * 33 + i] != MaskedBatch.IGNORE_INDEX ? 1 : 0;
        }
        assertTrue(masked == 0 || masked == length,
            "block " + b + " word at " + word + ": " + masked + " of " + length + " masked");
        maskedWords += masked / length;
      }
    }
    assertEquals(0.3, maskedWords / 400.0, 0.1);
  }

  @Test
  void wholeWordMaskingWithoutWordStartsIsRefused() {
    MlmMasking masking = new MlmMasking(tokens, 0.15, 1, true);
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> masking.collate(blocks.subList(0, 2), new int[] {0, 1}, 0));
    assertTrue(error.getMessage().contains("--word-starts"), error.getMessage());
  }

  private static boolean isSpecial(int id) {
    return Arrays.stream(tokens.ids()).anyMatch(special -> special == id);
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    Arrays.setAll(values, i -> array.get(i).asInt());
    return values;
  }

  private static byte[] bytes(JsonNode array) {
    byte[] values = new byte[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (byte) array.get(i).asInt();
    }
    return values;
  }

  private static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    Arrays.setAll(values, i -> array.get(i).asDouble());
    return values;
  }
}
