package org.mlmspark.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MedianTest {
  @Test
  void theMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
    assertEquals(2.0, Median.of(3, 1, 2));
    assertEquals(2.5, Median.of(List.of(4.0, 1.0, 3.0, 2.0)));
    assertEquals(7.0, Median.of(7));
    assertThrows(IllegalArgumentException.class, () -> Median.of(List.of()));
  }
}
