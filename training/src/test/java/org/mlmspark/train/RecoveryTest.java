package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.storage.LockOwner;
import org.mlmspark.storage.OutputLock;
import org.mlmspark.testing.ChildJvm;
import org.mlmspark.train.cli.TrainCommand;
import org.mlmspark.train.io.TrainCheckpoints;
import org.mlmspark.train.io.TrainOutput;

/**
 * A run killed while it writes its first checkpoint can be restarted, or resumed, without deleting anything by
 * hand; a second run on an output in use exits 3.
 */
class RecoveryTest {
  @TempDir Path dir;

  @Test
  void aRunKilledDuringItsFirstCheckpointCanBeRestartedOrResumed() throws Exception {
    TrainData.spark();
    Path data = TrainData.write(dir.resolve("data"), TrainData.corpus(16, 32, 1), TrainData.corpus(4, 32, 2), 1);
    Path model = TrainData.tinyModel(dir.resolve("model"));
    Path killed = dir.resolve("killed");

    Process child = ChildJvm.start(TrainCommand.class,
        List.of("spark.hadoop.fs.file.impl=" + HaltingFileSystem.class.getName(), "spark.master=local[1]"),
        dir.resolve("child.log"), arguments(data, model, killed).toArray(String[]::new));
    assertTrue(child.waitFor(5, TimeUnit.MINUTES));
    assertEquals(HaltingFileSystem.HALTED, child.exitValue(), Files.readString(dir.resolve("child.log")));
    TrainCheckpoints checkpoints = new TrainCheckpoints(
        new org.apache.hadoop.fs.Path(killed.resolve("checkpoints").toUri()), new Configuration(), 2);
    assertTrue(checkpoints.latest().isEmpty(), "killed before its first checkpoint was complete");
    assertTrue(hidden(killed.resolve("checkpoints")).stream().anyMatch(n -> n.startsWith(".step-2.tmp-")),
        "the half-written checkpoint is there: " + hidden(killed.resolve("checkpoints")));
    assertTrue(Files.exists(dir.resolve(".killed.lock")), "the killed run could not release its lock");
    Path copy = copyTree(killed, dir.resolve("killed-copy"));

    TrainCommandTest.Run restarted = TrainCommandTest.train(arguments(data, model, killed).toArray(String[]::new));
    assertEquals(0, restarted.exitCode(), restarted.err());
    assertTrue(restarted.out().contains("left unfinished by a run that was stopped"), restarted.out());

    List<String> resume = new ArrayList<>(arguments(data, model, copy));
    resume.add("--resume");
    TrainCommandTest.Run resumed = TrainCommandTest.train(resume.toArray(String[]::new));
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("no complete checkpoint in") && resumed.out().contains("starting at step 0"),
        resumed.out());

    Path straight = dir.resolve("straight");
    TrainCommandTest.Run uninterrupted = TrainCommandTest.train(arguments(data, model, straight).toArray(String[]::new));
    assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());
    for (Path output : List.of(killed, copy)) {
      assertTrue(TrainOutput.isFinished(new org.apache.hadoop.fs.Path(output.toUri()), new Configuration()));
      assertArrayEquals(Files.readAllBytes(straight.resolve("model.safetensors")),
          Files.readAllBytes(output.resolve("model.safetensors")), output + ": the same model as a run never stopped");
      assertEquals(List.of(), hidden(output));
      assertEquals(List.of(), hidden(output.resolve("checkpoints")));
    }
    assertEquals(List.of(), hidden(dir), "no lock left beside the outputs");

    TrainCommandTest.Run again = TrainCommandTest.train(arguments(data, model, straight).toArray(String[]::new));
    assertEquals(2, again.exitCode());
    assertTrue(again.err().contains("pass --resume to continue it"), again.err());
  }

  @Test
  void aSecondRunOnAnOutputInUseExits3NamingTheHolder() throws Exception {
    Path output = dir.resolve("busy");
    Instant now = Instant.now();
    Files.write(dir.resolve(".busy.lock"),
        new LockOwner(OutputLock.localHost(), ProcessHandle.current().pid(), "live", now, now).toJson());
    TrainCommandTest.Run run = TrainCommandTest.train("--data", dir.toString(), "--model",
        TrainData.tinyModel(dir.resolve("model")).toString(), "--output", output.toString());
    assertEquals(3, run.exitCode(), run.err());
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), run.err());
    assertTrue(lines.get(0).startsWith("error: " + output + " is being written by another run, pid "
        + ProcessHandle.current().pid()), lines.get(0));
    assertFalse(Files.exists(output));
  }

  private static List<String> arguments(Path data, Path model, Path output) {
    return List.of("--data", data.toString(), "--model", model.toString(), "--output", output.toString(),
        "--epochs", "1", "--batch-size", "4", "--learning-rate", "1e-3", "--checkpoint-every", "2", "--device",
        "cpu");
  }

  private static List<String> hidden(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
    }
  }

  private static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Files.copy(source, to.resolve(from.relativize(source).toString()));
      }
    }
    return to;
  }
}
