package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.testing.StandaloneCluster;

/**
 * bin/train's cluster path: a Spark standalone cluster of separate JVMs on loopback (Master, 2 Workers of one
 * core, their executors), {@code bin/train --workers 2} (with {@code --inject-failure}, {@link FaultInjectingTrain}) submitted with SparkSubmit as {@code bin/train
 * --master spark://...} hands it to spark-submit, and rank 1's executor JVM dying mid-epoch.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class DataParallelTrainStandaloneTest {
  @TempDir Path dir;

  @Test
  void twoWorkersSubmittedToAStandaloneClusterRecoverFromALostExecutorAndEndLikeOneWorkerOfBatchEight()
      throws Exception {
    DataParallelCase data = DataParallelCase.create(dir);
    Path oneByEight = dir.resolve("one-by-eight");
    data.train(oneByEight, 1, 8, "--checkpoint-every", "0");

    Path output = dir.resolve("two-by-four");
    StandaloneCluster.Submission run;
    try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), 2)) {
      run = cluster.submit(FaultInjectingTrain.class.getName(), StandaloneCluster.appJar(dir.resolve("app.jar")),
          Map.of("spark.executor.extraJavaOptions",
              "-XX:TieredStopAtLevel=1 -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1"),
          data.args(output, 2, 4, "--checkpoint-every", "2", "--collective-timeout", "120",
              "--inject-failure", "1:3:halt"),
          Duration.ofSeconds(300));
    }
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("recovered: stage attempt 1 resumed every rank at step 2"), run.output());
    for (String line : List.of("rank 1/2 attempt 0 step 2: loss=", "rank 0/2 attempt 1 step 6: loss=",
        "rank 1/2 attempt 1 step 6: loss=", "Perplexity: ")) {
      assertTrue(run.output().contains(line), "'" + line + "' in the driver's output:\n" + run.output());
    }
    data.assertSameTraining(output, oneByEight);
  }
}
