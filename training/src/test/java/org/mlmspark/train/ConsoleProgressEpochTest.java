package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The results table's epoch column as HF Trainer shows epochs: whole ones as integers, a stopped run's 0.32. */
class ConsoleProgressEpochTest {
  @Test
  void epochs() {
    assertEquals("1", ConsoleProgress.epoch(1.0));
    assertEquals("3", ConsoleProgress.epoch(2.999999));
    assertEquals("0.32", ConsoleProgress.epoch(0.3164));
    assertEquals("0.3", ConsoleProgress.epoch(0.3));
    assertEquals("1.5", ConsoleProgress.epoch(1.5));
  }
}
