package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.testing.ChildJvm;
import org.mlmspark.train.cli.TrainCommand;
import org.mlmspark.train.io.TrainCheckpoints;

/**
 * Ctrl-C (SIGINT to the process group, as a terminal sends it) while bin/train runs: one line naming the
 * checkpoint {@code --resume} continues from, exit 130, no stack trace, no half-written checkpoint left.
 */
class InterruptedTrainingTest {
  @TempDir Path dir;

  @Test
  void ctrlCNamesTheCheckpointToResumeFrom() throws Exception {
    TrainData.spark();
    Path data = TrainData.write(dir.resolve("data"), TrainData.corpus(64, 32, 1), TrainData.corpus(8, 32, 2), 2);
    Path model = TrainData.tinyModel(dir.resolve("model"));
    Path output = dir.resolve("out");
    Path log = dir.resolve("train.log");
    Process child = ChildJvm.startInOwnGroup(TrainCommand.class, List.of("spark.master=local[1]"), log,
        "--data", data.toString(), "--model", model.toString(), "--output", output.toString(),
        "--max-steps", "100000", "--batch-size", "2", "--checkpoint-every", "2", "--device", "cpu");
    Path checkpoint = output.resolve("checkpoints").resolve("step-2");
    try {
      Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
      while (!TrainCheckpoints.isComplete(new org.apache.hadoop.fs.Path(checkpoint.toUri()), new Configuration())) {
        if (!child.isAlive() || Instant.now().isAfter(deadline)) {
          fail("no checkpoint to interrupt after:\n" + Files.readString(log));
        }
        Thread.sleep(50);
      }
      ChildJvm.interruptGroup(child);
      assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the run ended after Ctrl-C");
    } finally {
      child.destroyForcibly().waitFor();
    }

    String last = ChildJvm.interruptedLastLine(child, log);
    assertTrue(last.matches("interrupted: " + output + " left as it was; --resume continues from .*/step-\\d+"),
        last);
    org.apache.hadoop.fs.Path named = new org.apache.hadoop.fs.Path(last.substring(last.lastIndexOf(' ') + 1));
    assertTrue(TrainCheckpoints.isComplete(named, new Configuration()), named.toString());
    try (Stream<Path> walk = Files.walk(output)) {
      assertEquals(List.of(), walk.filter(p -> p.getFileName().toString().startsWith(".step-")).toList(),
          "no half-written checkpoint is left");
    }
  }
}
