package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.preprocess.cli.PreprocessCommand;
import org.mlmspark.support.Hashing;
import org.mlmspark.testing.ChildJvm;
import org.mlmspark.testing.CommandRun;
import org.mlmspark.testing.TestData;

/**
 * Ctrl-C (SIGINT to the process group, as a terminal sends it) while bin/preprocess writes its shards: one line,
 * exit 130, the previous output byte for byte as it was, nothing staged left.
 */
class InterruptedRunTest {
  @TempDir Path tmp;

  @Test
  void ctrlCMidWriteSaysWhatItKeptAndLeavesNothingStaged() throws Exception {
    String tokenizer = TestData.distilrobertaTokenizer().toString();
    Path output = tmp.resolve("out");
    CommandRun first = CommandRun.of(new PreprocessCommand(),
        "--input", TestData.require("data/eli5_category_sample").toString(), "--output", output.toString(),
        "--tokenizer", tokenizer);
    assertEquals(0, first.exitCode(), first.stderr());
    Map<String, String> before = contents(output);

    Path log = tmp.resolve("interrupted-run.log");
    Process child = ChildJvm.startInOwnGroup(PreprocessCommand.class, List.of("spark.master=local[1]"), log,
        "--input", TestData.require("fixtures/hf/preprocess/eli5_askscience_synthetic.jsonl.gz").toString(),
        "--output", output.toString(), "--tokenizer", tokenizer);
    try {
      awaitParquetBeingWritten(child, log);
      ChildJvm.interruptGroup(child);
      assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the run ended after Ctrl-C");
    } finally {
      child.destroyForcibly().waitFor();
    }

    assertEquals("interrupted: " + output + " left as it was", ChildJvm.interruptedLastLine(child, log));
    assertEquals(before, contents(output), "the previous output is byte for byte what it was");
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
          "nothing staged is left beside the output");
    }
  }

  /** Waits until the child has a Parquet file under a staging directory beside the output. */
  private void awaitParquetBeingWritten(Process child, Path log) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (Instant.now().isBefore(deadline)) {
      if (!child.isAlive()) {
        fail("the run ended before it could be interrupted:\n" + Files.readString(log));
      }
      try (Stream<Path> files = Files.walk(tmp)) {
        if (files.anyMatch(p -> p.toString().contains("/.out") && p.getFileName().toString().endsWith(".parquet"))) {
          return;
        }
      } catch (UncheckedIOException e) {
        // a file vanished while listed: Spark renames its task files as it commits them
      }
      Thread.sleep(20);
    }
    fail("no Parquet file appeared in staging within 5 minutes:\n" + Files.readString(log));
  }

  private static Map<String, String> contents(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), Hashing.sha256Hex(Files.readAllBytes(p)));
      }
    }
    return files;
  }
}
