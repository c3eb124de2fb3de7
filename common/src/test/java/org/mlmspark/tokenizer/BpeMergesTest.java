package org.mlmspark.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BpeMergesTest {
  // Symbols: a=0 b=1 c=2; merged tokens get ids from 10.
  private static final int A = 0;
  private static final int B = 1;
  private static final int C = 2;

  private static int[] merge(BpeMerges merges, int... ids) {
    int[] work = ids.clone();
    return Arrays.copyOf(work, merges.merge(work, work.length));
  }

  @Test
  void mergesTheLowestRankedPairFirst() {
    // rank 0: b c -> 10 ; rank 1: a b -> 11 ; rank 2: a 10 -> 12
    BpeMerges merges = new BpeMerges(new int[][] {{B, C, 10}, {A, B, 11}, {A, 10, 12}});
    assertArrayEquals(new int[] {12}, merge(merges, A, B, C), "bc first, then a+bc; never ab+c");
    assertArrayEquals(new int[] {11, 11}, merge(merges, A, B, A, B));
    assertArrayEquals(new int[] {C, A}, merge(merges, C, A), "no merge for the pair");
    assertArrayEquals(new int[] {}, merge(merges));
    assertArrayEquals(new int[] {A}, merge(merges, A));
  }

  @Test
  void leftmostWinsAmongEqualRanks() {
    // a a -> 10 ; 10 a -> 11: "aaa" is (aa)a -> 11, not a(aa).
    BpeMerges merges = new BpeMerges(new int[][] {{A, A, 10}, {10, A, 11}});
    assertArrayEquals(new int[] {11}, merge(merges, A, A, A));
    assertArrayEquals(new int[] {10, 10}, merge(merges, A, A, A, A), "aaaa is aa aa: both merge before 10 a");
    assertArrayEquals(new int[] {10, 11}, merge(merges, A, A, A, A, A));
  }

  @Test
  void aPairListedTwiceKeepsItsLastRank() {
    // As HF's merge map: the later entry of a b overrides the earlier, so b c (rank 1) now goes first.
    BpeMerges merges = new BpeMerges(new int[][] {{A, B, 10}, {B, C, 11}, {A, B, 10}});
    assertArrayEquals(new int[] {A, 11}, merge(merges, A, B, C));
    assertEquals(2L << 32 | 10, merges.lookup(A, B));
    assertEquals(-1L, merges.lookup(C, A));
  }

  /** Textbook BPE: scan for the lowest-ranked adjacent pair (leftmost among equals), merge, repeat. */
  private static int[] naive(int[][] pairs, int[] ids) {
    List<Integer> symbols = new ArrayList<>();
    for (int id : ids) {
      symbols.add(id);
    }
    while (true) {
      int best = -1;
      int bestRank = Integer.MAX_VALUE;
      int mergedId = -1;
      for (int i = 0; i + 1 < symbols.size(); i++) {
        int pairRank = -1; // a pair listed twice counts at its last rank
        for (int rank = 0; rank < pairs.length; rank++) {
          if (pairs[rank][0] == symbols.get(i) && pairs[rank][1] == symbols.get(i + 1)) {
            pairRank = rank;
          }
        }
        if (pairRank >= 0 && pairRank < bestRank) {
          best = i;
          bestRank = pairRank;
          mergedId = pairs[pairRank][2];
        }
      }
      if (best < 0) {
        return symbols.stream().mapToInt(Integer::intValue).toArray();
      }
      symbols.set(best, mergedId);
      symbols.remove(best + 1);
    }
  }

  @Test
  void equalsTextbookBpeOnRandomMergeTablesAndWords() {
    Random random = new Random(3);
    for (int table = 0; table < 200; table++) {
      // Random merges over a 4-symbol alphabet; each merge creates a fresh id, usable by later merges.
      int[][] pairs = new int[5 + random.nextInt(20)][];
      for (int rank = 0; rank < pairs.length; rank++) {
        int known = 4 + rank;
        pairs[rank] = new int[] {random.nextInt(known), random.nextInt(known), 100 + rank};
        if (random.nextInt(3) == 0) { // some merges use merged ids
          pairs[rank][random.nextInt(2)] = 100 + random.nextInt(Math.max(1, rank));
        }
      }
      BpeMerges merges = new BpeMerges(pairs);
      for (int word = 0; word < 50; word++) {
        int[] ids = random.ints(random.nextInt(40), 0, 4).toArray();
        assertArrayEquals(naive(pairs, ids), merge(merges, ids), () -> Arrays.deepToString(pairs) + " on " + Arrays.toString(ids));
      }
    }
  }

  @Test
  void mergesAVeryLongWord() {
    // A run of 200,000 identical bytes is one pre-token; the queue keeps it near-linear, not quadratic.
    BpeMerges merges = new BpeMerges(new int[][] {{A, A, 10}, {10, 10, 11}, {11, 11, 12}});
    int[] ids = new int[200_000];
    int[] merged = merge(merges, ids);
    assertEquals(25_000, merged.length);
    assertEquals(12, merged[0]);
  }
}
