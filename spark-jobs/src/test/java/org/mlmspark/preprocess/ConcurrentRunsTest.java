package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.preprocess.cli.PreprocessCommand;
import org.mlmspark.storage.LockOwner;
import org.mlmspark.testing.ChildJvm;
import org.mlmspark.testing.TestData;
import org.mlmspark.testing.TestSpark;

/**
 * Two {@code bin/preprocess} processes on one output: the second finds the first's lock and exits 3 with one line
 * naming it, touching nothing; the first commits an output whose shards hold exactly the blocks its manifest lists.
 * The first is paused (SIGSTOP) while it holds the lock, so the overlap does not depend on timing.
 */
class ConcurrentRunsTest {
  @TempDir Path tmp;

  @Test
  void aSecondWriterExits3AndTheFirstCommitsAnOutputThatMatchesItsManifest() throws Exception {
    String tokenizer = TestData.distilrobertaTokenizer().toString();
    Path output = tmp.resolve("out");
    Path lock = tmp.resolve(".out.lock");

    Process first = ChildJvm.start(PreprocessCommand.class, List.of("spark.master=local[1]"), tmp.resolve("first.log"),
        "--input", TestData.require("fixtures/hf/preprocess/eli5_askscience_synthetic.jsonl.gz").toString(),
        "--output", output.toString(), "--tokenizer", tokenizer);
    try {
      awaitLockOf(first, lock, tmp.resolve("first.log"));
      signal("STOP", first);
      List<String> stagingWhilePaused = staging();

      Process second = ChildJvm.start(PreprocessCommand.class, List.of("spark.master=local[1]"),
          tmp.resolve("second.log"), "--input", TestData.require("data/eli5_category_sample").toString(),
          "--output", output.toString(), "--tokenizer", tokenizer);
      assertTrue(second.waitFor(5, TimeUnit.MINUTES), "the second run returns at once");
      String secondLog = Files.readString(tmp.resolve("second.log"));
      assertEquals(3, second.exitValue(), secondLog);
      List<String> errors = secondLog.lines().filter(l -> l.startsWith("error: ")).toList();
      assertEquals(1, errors.size(), secondLog);
      assertTrue(errors.get(0).contains(output + " is being written by another run, pid " + first.pid()),
          errors.get(0));
      assertFalse(secondLog.contains("\tat "), "no stack trace:\n" + secondLog);
      assertEquals(stagingWhilePaused, staging(), "the second run left the first's staging alone");
      assertFalse(Files.exists(output));

      signal("CONT", first);
      assertTrue(first.waitFor(10, TimeUnit.MINUTES));
      assertEquals(0, first.exitValue(), Files.readString(tmp.resolve("first.log")));
    } finally {
      if (first.isAlive()) {
        signal("CONT", first);
        first.destroyForcibly().waitFor();
      }
    }

    SparkSession spark = TestSpark.session();
    PreprocessOutput committed = new PreprocessOutput(spark, new org.apache.hadoop.fs.Path(output.toUri()));
    Manifest manifest = committed.manifest();
    assertEquals(1500, manifest.rows().read(), "the first run's input, not the second's");
    for (String split : List.of(Manifest.TRAIN, Manifest.TEST)) {
      assertEquals(manifest.splits().get(split).blocks(), committed.blocks(split).size(), split);
    }
    try (Stream<Path> files = Files.walk(output)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().equals("_temporary")));
    }
    try (Stream<Path> entries = Files.list(tmp)) {
      assertEquals(List.of("first.log", "out", "second.log"),
          entries.map(p -> p.getFileName().toString()).sorted().toList(), "no lock or staging left beside it");
    }
  }

  private List<String> staging() throws IOException {
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".out.staging")).sorted()
          .toList();
    }
  }

  private static void awaitLockOf(Process run, Path lock, Path log) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (Instant.now().isBefore(deadline)) {
      if (!run.isAlive()) {
        fail("the first run ended before it was paused:\n" + Files.readString(log));
      }
      try {
        if (Files.exists(lock) && LockOwner.fromJson(Files.readAllBytes(lock)).pid() == run.pid()) {
          return;
        }
      } catch (IOException e) {
        // caught mid-write or just removed: look again
      }
      Thread.sleep(20);
    }
    fail("the first run never took the lock:\n" + Files.readString(log));
  }

  private static void signal(String signal, Process process) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor());
  }
}
