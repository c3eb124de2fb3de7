package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BlockGrouperTest {

  /** The guide's group_texts, literally: concatenate, round total down when >= block size, slice. */
  private static List<int[]> groupTexts(List<int[]> batch, int blockSize) {
    int[] concatenated = batch.stream().flatMapToInt(Arrays::stream).toArray();
    int total = concatenated.length;
    if (total >= blockSize) {
      total = (total / blockSize) * blockSize;
    }
    List<int[]> blocks = new ArrayList<>();
    for (int i = 0; i < total; i += blockSize) {
      blocks.add(Arrays.copyOfRange(concatenated, i, Math.min(i + blockSize, total)));
    }
    return blocks;
  }

  private static List<int[]> stream(BlockGrouper grouper, List<int[]> batch) {
    List<int[]> blocks = new ArrayList<>();
    batch.forEach(row -> blocks.addAll(grouper.add(row)));
    BlockGrouper.BatchEnd end = grouper.finish();
    if (end.shortBlock() != null) {
      blocks.add(end.shortBlock());
    }
    return blocks;
  }

  @Test
  void concatenatesCutsAndDropsTheRemainder() {
    BlockGrouper grouper = new BlockGrouper(4);
    assertEquals(0, grouper.add(new int[] {1, 2, 3}).size());
    List<int[]> done = grouper.add(new int[] {4, 5, 6, 7, 8, 9, 10});
    assertEquals(2, done.size());
    assertArrayEquals(new int[] {1, 2, 3, 4}, done.get(0));
    assertArrayEquals(new int[] {5, 6, 7, 8}, done.get(1));
    BlockGrouper.BatchEnd end = grouper.finish();
    assertNull(end.shortBlock());
    assertEquals(2, end.tokensDropped());
  }

  @Test
  void batchShorterThanOneBlockBecomesOneShortBlockLikeTheGuide() {
    BlockGrouper grouper = new BlockGrouper(128);
    grouper.add(new int[] {0, 5, 2});
    BlockGrouper.BatchEnd end = grouper.finish();
    assertArrayEquals(new int[] {0, 5, 2}, end.shortBlock());
    assertEquals(0, end.tokensDropped());
    // The next batch starts empty.
    assertEquals(1, grouper.add(IntStream.range(0, 128).toArray()).size());
    assertEquals(0, grouper.finish().tokensDropped());
  }

  @Test
  void matchesGroupTextsOnRandomBatches() {
    Random random = new Random(3);
    BlockGrouper grouper = new BlockGrouper(16);
    for (int trial = 0; trial < 200; trial++) {
      List<int[]> batch = new ArrayList<>();
      int rows = 1 + random.nextInt(12);
      for (int r = 0; r < rows; r++) {
        batch.add(random.ints(random.nextInt(40), 0, 50_000).toArray());
      }
      List<int[]> expected = groupTexts(batch, 16);
      List<int[]> actual = stream(grouper, batch);
      assertEquals(expected.size(), actual.size());
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i), actual.get(i));
      }
    }
  }

  /** Word starts travel with their tokens: each block's flags are the concatenated flags cut where its ids are. */
  @Test
  void wordStartsAreCutWithTheirTokens() {
    Random random = new Random(5);
    List<BatchBlocks.Row> rows = new ArrayList<>();
    List<List<int[]>> batches = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    List<List<int[]>> batchFlags = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int batch = 0; batch < 3; batch++) {
      for (int r = 0; r < 1 + random.nextInt(10); r++) {
        int[] ids = random.ints(random.nextInt(40), 0, 50_000).toArray();
        int[] flags = random.ints(ids.length, 0, 2).toArray();
        rows.add(new BatchBlocks.Row(batch, ids, flags));
        batches.get(batch).add(ids);
        batchFlags.get(batch).add(flags);
      }
    }
    List<int[]> expectedIds = new ArrayList<>();
    List<int[]> expectedFlags = new ArrayList<>();
    for (int batch = 0; batch < 3; batch++) {
      expectedIds.addAll(groupTexts(batches.get(batch), 16));
      expectedFlags.addAll(groupTexts(batchFlags.get(batch), 16));
    }
    List<BatchBlocks.Block> blocks = new ArrayList<>();
    new BatchBlocks(rows.iterator(), 16).forEachRemaining(blocks::add);
    assertEquals(expectedIds.size(), blocks.size());
    for (int i = 0; i < blocks.size(); i++) {
      assertArrayEquals(expectedIds.get(i), blocks.get(i).ids());
      assertArrayEquals(expectedFlags.get(i), blocks.get(i).wordStarts());
    }
    BatchBlocks withoutFlags = new BatchBlocks(List.of(new BatchBlocks.Row(0, new int[20])).iterator(), 16);
    assertNull(withoutFlags.next().wordStarts());
  }
}
