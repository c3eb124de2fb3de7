package org.mlmspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.mlmspark.testing.TestSpark;

class JobProgressTest {
  @Test
  void aRunningJobIsReportedByItsDescriptionWithTasksDoneAndAnEta() {
    SparkContext sc = TestSpark.session().sparkContext();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (JobProgress progress = JobProgress.lines(sc, "test-step", out, Duration.ofMillis(100))) {
      sc.setJobDescription("slow tasks");
      long sum = JavaSparkContext.fromSparkContext(sc)
          .parallelize(IntStream.range(0, 8).boxed().toList(), 8)
          .map(i -> {
            Thread.sleep(250);
            return i;
          })
          .reduce(Integer::sum);
      assertEquals(28, sum);
    } finally {
      sc.setJobDescription(null);
    }
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertTrue(lines.size() >= 3, lines.toString());
    for (String line : lines) {
      assertTrue(line.matches("test-step: slow tasks: \\d/8 tasks \\(\\d+ %\\), \\d:\\d\\d elapsed, ETA (\\?|\\d:\\d\\d)"),
          line);
    }
    assertTrue(lines.stream().anyMatch(l -> !l.endsWith("ETA ?")), "an ETA once tasks finished: " + lines);
  }

  @Test
  void nothingIsPrintedWhileNoJobRuns() throws InterruptedException {
    SparkContext sc = TestSpark.session().sparkContext();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JobProgress progress = JobProgress.lines(sc, "idle", new PrintStream(bytes, true, StandardCharsets.UTF_8),
        Duration.ofMillis(50))) {
      Thread.sleep(300);
    }
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
  }
}
