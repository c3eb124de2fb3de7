package org.mlmspark.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.distributed.toy.LinearRankFunction;
import org.mlmspark.distributed.toy.LinearToy;
import org.mlmspark.distributed.toy.ToyTrainingApp;
import org.mlmspark.testing.StandaloneCluster;

/**
 * A Spark standalone cluster of separate JVMs on loopback (Master, 2 Workers, their executors) and the toy
 * trainer submitted with SparkSubmit, whose rank 1 executor JVM dies mid-stage.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DataParallelStandaloneTest {
  @TempDir
  Path dir;

  @Test
  void anExecutorKilledMidStageIsReplacedAndTheRunEndsAsIfUninterrupted() throws Exception {
    Path result = dir.resolve("result.json");
    StandaloneCluster.Submission run;
    try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), 2)) {
      run = cluster.submit(ToyTrainingApp.class.getName(), StandaloneCluster.appJar(dir.resolve("app.jar")),
          Map.of("spark.stage.maxConsecutiveAttempts", "4"),
          List.of(result.toString(), dir.resolve("checkpoints").toString(), "1", "13"), Duration.ofSeconds(180));
    }
    assertEquals(0, run.exitCode(), run.output());

    List<LinearRankFunction.Result> results = List.of(
        new ObjectMapper().readValue(result.toFile(), LinearRankFunction.Result[].class));
    float[] uninterrupted = LinearToy.trainInProcess(LinearToy.PLAN, 2);
    for (LinearRankFunction.Result rank : results) {
      assertEquals(1, rank.attempt(), "the stage was retried once");
      assertEquals(10, rank.resumedFrom(), "from the checkpoint of step 10");
      assertArrayEquals(uninterrupted, rank.weights(), "rank " + rank.rank());
    }
    double difference = LinearToy.relativeL2(results.get(0).weights(), LinearToy.trainInProcess(LinearToy.PLAN, 1));
    assertTrue(difference < 1e-5, "2 ranks x batch 4 against 1 x 8: relative L2 " + difference);

    // Rank reports reached the driver's log (the submitting JVM's output), from both ranks and both attempts.
    for (String line : List.of("rank 0/2 attempt 0: ring of 2 formed", "rank 1/2 attempt 0: ring of 2 formed",
        "rank 0/2 attempt 0 step 12: loss=", "rank 0/2 attempt 1: ring of 2 formed",
        "rank 1/2 attempt 1: ring of 2 formed, listening on", "rank 0/2 attempt 1 step 31: loss=")) {
      assertTrue(run.output().contains(line), "'" + line + "' in the driver's output:\n" + run.output());
    }
  }
}
