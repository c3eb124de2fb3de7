package org.mlmspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProgressLineTest {
  @Test
  void theEtaIsTheTimeLeftAtTheRateSoFar() {
    ProgressLine line = new ProgressLine("preprocess", "tokenize and write train", 8, 32, 12);
    assertEquals(36, line.etaSeconds(), 1e-9);
    assertEquals("preprocess: tokenize and write train: 8/32 tasks (25 %), 0:12 elapsed, ETA 0:36", line.plain());
  }

  @Test
  void beforeTheFirstTaskEndsTheEtaIsUnknown() {
    ProgressLine line = new ProgressLine("fill-mask", "predict", 0, 4, 3);
    assertTrue(Double.isNaN(line.etaSeconds()));
    assertTrue(line.plain().endsWith("ETA ?"), line.plain());
  }

  @Test
  void theBarFillsWithTheTasksDone() {
    assertEquals("preprocess [============>           ]  50 % read and select  ETA 1:01:40",
        new ProgressLine("preprocess", "read and select", 5, 10, 3700).bar());
    assertEquals("preprocess [========================] 100 % read and select  ETA 0:00",
        new ProgressLine("preprocess", "read and select", 10, 10, 5).bar());
    assertEquals("preprocess [>                       ]   0 % read and select  ETA ?",
        new ProgressLine("preprocess", "read and select", 0, 10, 5).bar());
  }

  @Test
  void clocksReadAsMinutesOrHours() {
    assertEquals("0:05", ProgressLine.clock(4.6));
    assertEquals("12:30", ProgressLine.clock(750));
    assertEquals("1:02:03", ProgressLine.clock(3723));
    assertEquals("?", ProgressLine.clock(Double.POSITIVE_INFINITY));
  }
}
