package org.mlmspark.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EpochOrderTest {
  @Test
  void eachEpochIsAPermutationOfTheDataset() {
    EpochOrder order = new EpochOrder(42, 1000);
    for (int epoch = 0; epoch < 3; epoch++) {
      int[] sorted = order.order(epoch).clone();
      Arrays.sort(sorted);
      assertArrayEquals(IntStream.range(0, 1000).toArray(), sorted);
    }
  }

  @Test
  void aPureFunctionOfSeedEpochAndSize() {
    assertArrayEquals(new EpochOrder(42, 500).order(2), new EpochOrder(42, 500).order(2));
    EpochOrder order = new EpochOrder(42, 500);
    int[] epoch1 = order.order(1).clone();
    order.order(0);
    assertArrayEquals(epoch1, order.order(1), "asking for other epochs in between changes nothing");
    assertFalse(Arrays.equals(order.order(0), order.order(1)), "every epoch reshuffles");
    assertFalse(Arrays.equals(new EpochOrder(43, 500).order(1), epoch1), "the seed matters");
  }

  @Test
  void everySampleIsEquallyLikelyFirst() {
    // 10 samples over 20,000 epochs: each should lead ~2,000 times (sd ~42); 300 is > 7 sd.
    EpochOrder order = new EpochOrder(7, 10);
    int[] firsts = new int[10];
    for (int epoch = 0; epoch < 20_000; epoch++) {
      firsts[order.order(epoch)[0]]++;
    }
    for (int count : firsts) {
      assertEquals(2000, count, 300);
    }
  }
}
