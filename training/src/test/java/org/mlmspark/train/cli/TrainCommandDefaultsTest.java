package org.mlmspark.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.job.TrainRun;
import picocli.CommandLine;

/** bin/train's flag defaults are the step's: what bin/pipeline and the demo start from when a key is not set. */
class TrainCommandDefaultsTest {
  @Test
  void theFlagsDefaultToTheGuidesRecipeAndTheRunDefaults() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", "d", "--model", "m", "--output", "o");
    assertEquals(TrainRun.of("d", "m", "o", TrainingSettings.guide()), command.run());
  }
}
