package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.train.cli.TrainCommand;
import org.mlmspark.train.io.TrainCheckpoints;
import org.mlmspark.train.io.TrainOutput;
import org.mlmspark.train.report.EventFiles;

/**
 * A run killed mid-epoch (SIGKILL, in its own JVM) right after a checkpoint, then resumed, ends with exactly the
 * parameters, the per-step history and the TensorBoard curves of a run that was never interrupted.
 */
class ResumeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void killedAndResumedRunEqualsUninterruptedRun() throws Exception {
    TrainData.spark();
    // 10 steps per epoch, checkpoints every 4 steps: mid-epoch. The tiny preset has dropout 0.1, so this also
    // checks that dropout draws are replayed.
    Path data = TrainData.write(dir.resolve("data"), TrainData.corpus(40, 32, 1), TrainData.corpus(8, 32, 2), 2);
    Path model = TrainData.tinyModel(dir.resolve("model"));
    Path interrupted = dir.resolve("interrupted");
    Path uninterrupted = dir.resolve("uninterrupted");

    Process child = childJvm(arguments(data, model, interrupted), dir.resolve("child.log"));
    TrainCheckpoints checkpoints = new TrainCheckpoints(
        new org.apache.hadoop.fs.Path(interrupted.resolve("checkpoints").toUri()), new Configuration(), 2);
    Optional<org.apache.hadoop.fs.Path> first = Optional.empty();
    while (first.isEmpty() && child.isAlive()) {
      Thread.sleep(5);
      first = checkpoints.latest();
    }
    child.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
    if (first.isEmpty()) {
      fail("the child wrote no checkpoint:\n" + Files.readString(dir.resolve("child.log")));
    }
    assertFalse(TrainOutput.isFinished(new org.apache.hadoop.fs.Path(interrupted.toUri()), new Configuration()),
        "the run was killed before it finished: its output must not look complete");
    long resumedAt = Long.parseLong(checkpoints.latest().orElseThrow().getName().substring("step-".length()));
    assertTrue(resumedAt > 0 && resumedAt < 30 && resumedAt % 10 != 0, "killed mid-epoch, at " + resumedAt);

    List<String> resume = new ArrayList<>(arguments(data, model, interrupted));
    resume.add("--resume");
    TrainCommandTest.Run resumed = TrainCommandTest.train(resume.toArray(String[]::new));
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("resuming at step " + resumedAt), resumed.out());
    TrainCommandTest.Run straight = TrainCommandTest.train(arguments(data, model, uninterrupted).toArray(String[]::new));
    assertEquals(0, straight.exitCode(), straight.err());

    assertArrayEquals(Files.readAllBytes(uninterrupted.resolve("model.safetensors")),
        Files.readAllBytes(interrupted.resolve("model.safetensors")), "final parameters differ");
    assertEquals(history(uninterrupted), history(interrupted));
    // TensorBoard: the resumed run wrote into the killed run's directory, and the curves read back are the
    // uninterrupted run's (points the killed run logged after its checkpoint replaced).
    Path run = EventFiles.assertMatchesMetrics(interrupted, model);
    try (var files = Files.list(run)) {
      assertTrue(files.count() >= 2, "the killed run's file and the resumed run's");
    }
    EventFiles.Read resumedRead = EventFiles.readRun(run);
    EventFiles.Read straightRead = EventFiles.readRun(EventFiles.assertMatchesMetrics(uninterrupted, model));
    for (String tag : List.of("train/loss", "train/learning_rate", "train/grad_norm", "eval/loss", "eval/accuracy")) {
      assertEquals(values(straightRead.scalars().get(tag)), values(resumedRead.scalars().get(tag)), tag);
    }

    List<String> otherRecipe = new ArrayList<>(resume);
    otherRecipe.set(otherRecipe.indexOf("--batch-size") + 1, "2");
    TrainCommandTest.Run refused = TrainCommandTest.train(otherRecipe.toArray(String[]::new));
    assertEquals(2, refused.exitCode());
    assertTrue(refused.err().contains("cannot resume from") && refused.err().contains("batchSize 4 (now 2)"),
        refused.err());
  }

  private static List<String> arguments(Path data, Path model, Path output) {
    return List.of("--data", data.toString(), "--model", model.toString(), "--output", output.toString(),
        "--epochs", "3", "--batch-size", "4", "--learning-rate", "1e-3", "--warmup-ratio", "0.1",
        "--checkpoint-every", "4", "--keep-checkpoints", "3", "--device", "cpu", "--report-to", "tensorboard");
  }

  private static List<String> values(List<EventFiles.Point> points) {
    return points.stream().map(p -> p.step() + ":" + p.value()).toList();
  }

  /** Every logged value except timings, step by step. */
  private static List<String> history(Path output) throws Exception {
    List<String> entries = new ArrayList<>();
    for (String line : Files.readAllLines(output.resolve("metrics.jsonl"))) {
      JsonNode entry = JSON.readTree(line);
      ((com.fasterxml.jackson.databind.node.ObjectNode) entry).remove(List.of("tokens_per_s", "eval_runtime"));
      entries.add(entry.toString());
    }
    return entries;
  }

  /** bin/train in a JVM of its own, with this JVM's flags and classpath. */
  private static Process childJvm(List<String> args, Path log) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(TrainCommand.class.getName());
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
