package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.preprocess.cli.PreprocessCommand;
import org.mlmspark.support.Hashing;
import org.mlmspark.testing.ChildJvm;
import org.mlmspark.testing.CommandRun;
import org.mlmspark.testing.TestData;
import org.mlmspark.testing.TestSpark;

/** A run killed (SIGKILL) while Spark writes its shards leaves the previous output readable and unchanged. */
class KilledRunTest {
  @TempDir Path tmp;

  @Test
  void aRunKilledMidWriteLeavesThePreviousOutputIntact() throws Exception {
    SparkSession spark = TestSpark.session();
    String tokenizer = TestData.distilrobertaTokenizer().toString();
    Path output = tmp.resolve("out");
    CommandRun first = CommandRun.of(new PreprocessCommand(),
        "--input", TestData.require("data/eli5_category_sample").toString(), "--output", output.toString(),
        "--tokenizer", tokenizer);
    assertEquals(0, first.exitCode(), first.stderr());
    Map<String, String> before = contents(output);

    Path log = tmp.resolve("killed-run.log");
    Process child = ChildJvm.start(PreprocessCommand.class, List.of("spark.master=local[1]"), log,
        "--input", TestData.require("fixtures/hf/preprocess/eli5_askscience_synthetic.jsonl.gz").toString(),
        "--output", output.toString(), "--tokenizer", tokenizer);
    try {
      awaitParquetBeingWritten(tmp, child, log);
    } finally {
      child.destroyForcibly().waitFor();
    }

    assertEquals(before, contents(output), "the previous output is byte for byte what it was");
    PreprocessOutput previous = new PreprocessOutput(spark, new org.apache.hadoop.fs.Path(output.toUri()));
    Manifest manifest = previous.manifest();
    assertEquals(20, manifest.rows().read());
    assertEquals(manifest.splits().get(Manifest.TRAIN).blocks(), previous.blocks(Manifest.TRAIN).size());

    // The next run takes over the dead run's lock, clears what it left and commits normally.
    assertEquals(List.of(".out.lock", ".out.staging-"), beside(tmp));
    CommandRun next = CommandRun.of(new PreprocessCommand(),
        "--input", TestData.require("data/eli5_category_sample").toString(), "--output", output.toString(),
        "--tokenizer", tokenizer, "--test-size", "0");
    assertEquals(0, next.exitCode(), next.stderr());
    assertEquals(List.of(), beside(tmp));
    assertEquals(0, previous.manifest().rows().test());
  }

  /** The hidden entries beside the output, the staging directory's unique suffix cut off. */
  private static List<String> beside(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".out."))
          .map(n -> n.startsWith(".out.staging-") ? ".out.staging-" : n).sorted().toList();
    }
  }

  /** Waits until the child has a Parquet file open under its staging directory: it is writing shards. */
  private static void awaitParquetBeingWritten(Path parent, Process child, Path log)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (Instant.now().isBefore(deadline)) {
      if (!child.isAlive()) {
        fail("the run ended before it could be killed:\n" + Files.readString(log));
      }
      Path staging;
      try (Stream<Path> entries = Files.list(parent)) {
        staging = entries.filter(p -> p.getFileName().toString().startsWith(".out.staging-")).findFirst()
            .orElse(null);
      }
      if (staging != null) {
        try (Stream<Path> files = Files.walk(staging)) {
          if (files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"))) {
            return;
          }
        } catch (java.io.UncheckedIOException e) {
          // Spark moved a file while we walked; look again.
        }
      }
      Thread.sleep(50);
    }
    fail("the run never started writing:\n" + Files.readString(log));
  }

  /** Every file under dir (checksums included) with a hash of its bytes. */
  private static Map<String, String> contents(Path dir) throws IOException {
    Map<String, String> contents = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        contents.put(dir.relativize(f).toString(), Hashing.sha256Hex(Files.readAllBytes(f)));
      }
    }
    assertFalse(contents.isEmpty());
    return contents;
  }
}
