package org.mlmspark.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.inference.cli.FillMaskCommand;
import org.mlmspark.testing.ChildJvm;
import org.mlmspark.testing.TestData;

/**
 * Ctrl-C (SIGINT to the process group, as a terminal sends it) while the batch fill-mask job runs: one line, exit
 * 130, the previous output byte for byte as it was, and no staging left behind.
 */
class InterruptedFillMaskTest {
  @TempDir Path dir;

  @Test
  void ctrlCLeavesThePreviousOutputAsItWas() throws Exception {
    Path model = TestData.require("fixtures/hf/tiny-roberta/model");
    Path input = Files.createDirectories(dir.resolve("in")).resolve("texts.jsonl");
    try (BufferedWriter out = Files.newBufferedWriter(input)) {
      for (int i = 0; i < 200_000; i++) {
        out.write("{\"text\": \"Sample " + i + " says the <mask> is bright.\"}\n");
      }
    }
    Path output = Files.createDirectories(dir.resolve("out"));
    Path previous = Files.writeString(output.resolve("manifest.json"), "{\"an\": \"earlier output\"}");
    Path log = dir.resolve("fill-mask.log");
    Process child = ChildJvm.startInOwnGroup(FillMaskCommand.class, List.of("spark.master=local[2]"), log,
        "--model", model.toString(), "--input", input.toString(), "--output", output.toString());
    try {
      Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
      while (!stagingExists()) {
        if (!child.isAlive() || Instant.now().isAfter(deadline)) {
          fail("the job did not start staging:\n" + Files.readString(log));
        }
        Thread.sleep(50);
      }
      Thread.sleep(1000); // the job's tasks are running
      assertTrue(child.isAlive(), "the job is still running:\n" + Files.readString(log));
      ChildJvm.interruptGroup(child);
      assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the job ended after Ctrl-C");
    } finally {
      child.destroyForcibly().waitFor();
    }
    assertEquals("interrupted: " + output + " left as it was", ChildJvm.interruptedLastLine(child, log));
    assertEquals("{\"an\": \"earlier output\"}", Files.readString(previous));
    assertFalse(stagingExists(), "no staging is left");
  }

  private boolean stagingExists() throws Exception {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.anyMatch(p -> p.getFileName().toString().startsWith(".out.staging"));
    }
  }
}
