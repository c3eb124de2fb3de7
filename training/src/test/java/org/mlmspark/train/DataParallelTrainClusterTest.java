package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.testing.LocalSpark;

/**
 * {@code bin/train --workers 2} in {@code local-cluster[2,1,1024]}: each rank in an executor JVM of its own (one
 * core each, so the two tasks cannot share one), the driver in this JVM.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DataParallelTrainClusterTest {
  @TempDir static Path dir;
  private static DataParallelCase data;
  private static SparkSession spark;

  @BeforeAll
  static void setUp() throws Exception {
    data = DataParallelCase.create(dir);
    spark = LocalSpark.localCluster(2, 1024, dir.resolve("spark-home"), "data-parallel-train-cluster");
  }

  @AfterAll
  static void stopSpark() throws Exception {
    LocalSpark.stopLocalCluster(spark);
  }

  @Test
  void twoExecutorsOfBatchFourEndLikeOneWorkerOfBatchEightAndSurviveAnExecutorDyingMidEpoch() throws Exception {
    Path uninterrupted = dir.resolve("two-by-four");
    Path recovered = dir.resolve("two-by-four-recovered");
    Path oneByEight = dir.resolve("one-by-eight");
    data.train(uninterrupted, 2, 4, "--checkpoint-every", "2", "--collective-timeout", "120");
    data.train(oneByEight, 1, 8, "--checkpoint-every", "0");
    data.assertSameTraining(uninterrupted, oneByEight);

    // Rank 1's executor JVM halts after step 3 of the first attempt: the driver loses the executor, the Worker
    // starts another, and the stage's second attempt resumes both ranks from the checkpoint of step 2.
    TrainCommandTest.Run run = data.train(recovered, 2, 4, "--checkpoint-every", "2", "--collective-timeout", "120",
        "--inject-failure", "1:3:halt");
    assertTrue(run.out().contains("recovered: stage attempt 1 resumed every rank at step 2"), run.out());
    assertArrayEquals(Files.readAllBytes(uninterrupted.resolve("model.safetensors")),
        Files.readAllBytes(recovered.resolve("model.safetensors")), "final parameters differ");
    assertEquals(DataParallelCase.steps(uninterrupted), DataParallelCase.steps(recovered));
  }
}
