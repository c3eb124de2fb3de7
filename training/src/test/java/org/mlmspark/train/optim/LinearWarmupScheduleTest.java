package org.mlmspark.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LinearWarmupScheduleTest {
  @Test
  void risesOverWarmupThenFallsToZero() {
    LinearWarmupSchedule schedule = new LinearWarmupSchedule(1e-3, 4, 12);
    double[] expected = {0, 2.5e-4, 5e-4, 7.5e-4, 1e-3, 8.75e-4, 7.5e-4, 6.25e-4, 5e-4, 3.75e-4, 2.5e-4, 1.25e-4, 0, 0};
    for (int step = 0; step < expected.length; step++) {
      assertEquals(expected[step], schedule.learningRate(step), 1e-15, "after " + step + " steps");
    }
  }

  @Test
  void withoutWarmupStartsAtThePeak() {
    LinearWarmupSchedule schedule = new LinearWarmupSchedule(2e-5, 0, 4);
    assertEquals(2e-5, schedule.learningRate(0), 0);
    assertEquals(1e-5, schedule.learningRate(2), 1e-20);
  }

  @Test
  void warmupRatioRoundsUpLikeHfGetWarmupSteps() {
    assertEquals(2, LinearWarmupSchedule.warmupStepsForRatio(0.15, 10)); // ceil(1.5)
    assertEquals(10, LinearWarmupSchedule.warmupStepsForRatio(0.1, 100));
    assertEquals(0, LinearWarmupSchedule.warmupStepsForRatio(0, 100));
    assertThrows(IllegalArgumentException.class, () -> LinearWarmupSchedule.warmupStepsForRatio(1.0, 100));
  }
}
