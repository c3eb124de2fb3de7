package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  /** The results table's epoch column as HF Trainer shows epochs: whole ones as integers, a stopped run's 0.32. */
  @Test
  void epochs() {
    assertEquals("1", ConsoleProgress.epoch(1.0));
    assertEquals("3", ConsoleProgress.epoch(2.999999));
    assertEquals("0.32", ConsoleProgress.epoch(0.3164));
    assertEquals("0.3", ConsoleProgress.epoch(0.3));
    assertEquals("1.5", ConsoleProgress.epoch(1.5));
  }

  @Test
  void logsGetALineEveryLogEverySteps() {
    List<String> lines = run(false).lines().toList();
    assertEquals(List.of(1L, 4L, 8L, 10L), lines.stream().map(l -> Long.parseLong(l.split("[ /]")[1])).toList());
    assertTrue(lines.get(1).matches("step 4/10  epoch 0\\.40  loss 2\\.0000 .* tokens/s  ETA \\d+:\\d\\d"),
        lines.get(1));
    assertFalse(lines.stream().anyMatch(l -> l.contains("\r") || l.contains("[")), lines.toString());
  }

  @Test
  void aTerminalAlsoGetsABarRedrawnAfterEveryStepThatGivesWayToTheLines() {
    String printed = run(true);
    assertTrue(printed.contains("\rtrain [==="), printed);
    assertTrue(printed.contains("step 5/10  ETA "), printed);
    // Each line starts at the left edge: the bar was cleared with a carriage return before it.
    for (String line : printed.split("\n")) {
      String shown = line.substring(line.lastIndexOf('\r') + 1);
      assertTrue(shown.startsWith("step ") || shown.isEmpty(), "[" + line + "]");
    }
    assertTrue(printed.endsWith("tokens/s  ETA 0:00\n"), "no bar after the last step: " + printed);
  }

  private static String run(boolean terminal) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress progress =
        new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 4, 0, 10, terminal);
    for (long step = 1; step <= 10; step++) {
      progress.onStep(new TrainingHistory.StepLog(step, step / 10.0, 2.0, 1.0, 2e-5, 100),
          new TrainStep.Result(2.0, 1.0, 2e-5, 10, 100, null));
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
