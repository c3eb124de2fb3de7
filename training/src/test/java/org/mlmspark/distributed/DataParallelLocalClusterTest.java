package org.mlmspark.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.distributed.toy.DigestRankFunction;
import org.mlmspark.distributed.toy.LinearRankFunction;
import org.mlmspark.distributed.toy.LinearToy;
import org.mlmspark.testing.LocalSpark;

/** Data-parallel stages in {@code local-cluster[2,1,1024]}: each rank in its own executor JVM. */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DataParallelLocalClusterTest {
  @TempDir
  static Path dir;

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() throws Exception {
    spark = LocalSpark.localCluster(2, 1024, dir.resolve("spark-home"), "data-parallel-local-cluster");
  }

  @AfterAll
  static void stopSpark() throws Exception {
    LocalSpark.stopLocalCluster(spark);
  }

  private static DataParallelSettings settings() {
    return DataParallelSettings.of(2, "test").withCollectiveTimeout(Duration.ofSeconds(30))
        .withSlotWait(Duration.ofSeconds(60));
  }

  @Test
  void ranksInSeparateExecutorJvmsSumTheirContributions() {
    List<DigestRankFunction.Result> results = DataParallel.run(spark, settings(), new DigestRankFunction(4099));
    long driver = ProcessHandle.current().pid();
    assertNotEquals(results.get(0).pid(), results.get(1).pid(), "two executor JVMs");
    assertTrue(results.stream().noneMatch(r -> r.pid() == driver), "not the driver JVM");
    assertEquals(results.get(0).sha256(), results.get(1).sha256());
    for (int i = 0; i < 4099; i++) {
      assertEquals(DigestRankFunction.contribution(0, i) + DigestRankFunction.contribution(1, i),
          results.get(0).sum()[i], "float " + i);
    }
  }

  @Test
  void twoExecutorsOfBatchFourTrainLikeOneRankOfBatchEight() throws Exception {
    List<LinearRankFunction.Result> results =
        DataParallel.run(spark, settings(), LinearRankFunction.uninterrupted(LinearToy.PLAN));
    float[] oneByEight = LinearToy.trainInProcess(LinearToy.PLAN, 1);
    double difference = LinearToy.relativeL2(results.get(0).weights(), oneByEight);
    assertTrue(difference < 1e-5, "relative L2 " + difference);
    assertArrayEquals(results.get(0).weights(), results.get(1).weights());
    assertArrayEquals(LinearToy.trainInProcess(LinearToy.PLAN, 2), results.get(0).weights());
  }
}
