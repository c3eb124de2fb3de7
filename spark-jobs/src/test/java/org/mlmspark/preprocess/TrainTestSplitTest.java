package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainTestSplitTest {
  private static final List<String> IDS = IntStream.range(0, 20_000).mapToObj(i -> "q" + i).toList();

  private static List<Boolean> sides(TrainTestSplit split, List<String> ids) {
    return ids.stream().map(split::isTest).toList();
  }

  @Test
  void sideDependsOnlyOnIdAndSeed() {
    TrainTestSplit split = new TrainTestSplit(7, 0.2);
    List<Boolean> before = sides(split, IDS.subList(0, 1000));
    // The dataset grows: the same questions keep their side, whatever else arrives.
    List<Boolean> after = sides(new TrainTestSplit(7, 0.2), IDS).subList(0, 1000);
    assertEquals(before, after);
    assertNotEquals(before, sides(new TrainTestSplit(8, 0.2), IDS.subList(0, 1000)));
  }

  @Test
  void testFractionIsCloseToTestSize() {
    long test = IDS.stream().filter(new TrainTestSplit(42, 0.2)::isTest).count();
    // 20,000 Bernoulli(0.2) draws: standard deviation ~57.
    assertEquals(4000, test, 300);
  }

  @Test
  void zeroTestSizeKeepsEverythingInTrain() {
    assertFalse(IDS.stream().anyMatch(new TrainTestSplit(42, 0)::isTest));
  }

  @Test
  void rejectsTestSizeOutsideUnitInterval() {
    assertThrows(IllegalArgumentException.class, () -> new TrainTestSplit(1, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new TrainTestSplit(1, -0.1));
  }
}
