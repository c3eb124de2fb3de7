package org.mlmspark.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.distributed.toy.DigestRankFunction;
import org.mlmspark.distributed.toy.LinearRankFunction;
import org.mlmspark.distributed.toy.LinearRankFunction.Fault;
import org.mlmspark.distributed.toy.LinearRankFunction.FaultMode;
import org.mlmspark.distributed.toy.LinearToy;
import org.mlmspark.testing.LocalSpark;

/** Data-parallel stages in {@code local[2]}: ranks are task threads of this JVM, joined by a real TCP ring. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DataParallelLocalTest {
  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.local(2, "data-parallel-local");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static DataParallelSettings settings(int workers) {
    return DataParallelSettings.of(workers, "test").withCollectiveTimeout(Duration.ofSeconds(30));
  }

  @Test
  void everyRankEndsWithTheSumOfAllContributions() {
    int floats = 1001;
    List<DigestRankFunction.Result> results = DataParallel.run(spark, settings(2), new DigestRankFunction(floats));
    assertEquals(2, results.size());
    for (int rank = 0; rank < 2; rank++) {
      DigestRankFunction.Result result = results.get(rank);
      assertEquals(rank, result.rank());
      assertEquals(2, result.worldSize());
      assertEquals(0, result.attempt());
      assertEquals("cpu", result.device());
      for (int i = 0; i < floats; i++) {
        assertEquals(DigestRankFunction.contribution(0, i) + DigestRankFunction.contribution(1, i),
            result.sum()[i], "float " + i);
      }
    }
    assertEquals(results.get(0).sha256(), results.get(1).sha256());
  }

  @Test
  void twoRanksOfBatchFourTrainLikeOneRankOfBatchEight() throws Exception {
    List<LinearRankFunction.Result> results =
        DataParallel.run(spark, settings(2), LinearRankFunction.uninterrupted(LinearToy.PLAN));
    float[] twoByFour = results.get(0).weights();
    assertArrayEquals(twoByFour, results.get(1).weights(), "ranks end bit-identical");

    float[] oneByEight = LinearToy.trainInProcess(LinearToy.PLAN, 1);
    assertArrayEquals(oneByEight,
        DataParallel.run(spark, settings(1), LinearRankFunction.uninterrupted(LinearToy.PLAN)).get(0).weights(),
        "one Spark worker (no network) = one in-process rank");
    assertTrue(LinearToy.relativeL2(twoByFour, oneByEight) < 1e-5,
        "relative L2 " + LinearToy.relativeL2(twoByFour, oneByEight));
    // What the comparison rules out: one rank of batch 4 takes other steps and ends elsewhere.
    LinearToy.Plan batchFour = new LinearToy.Plan(LinearToy.PLAN.seed(), LinearToy.PLAN.rows(), 4,
        LinearToy.PLAN.epochs(), LinearToy.PLAN.learningRate());
    assertTrue(LinearToy.relativeL2(twoByFour, LinearToy.trainInProcess(batchFour, 1)) > 1e-3);

    LinearToy toy = new LinearToy(LinearToy.PLAN);
    assertTrue(toy.loss(twoByFour) < toy.loss(new float[LinearToy.FEATURES + 1]) / 10, "training learned");
    assertArrayEquals(twoByFour, LinearToy.trainInProcess(LinearToy.PLAN, 2), "Spark run = threads run");
  }

  @Test
  void aRankThatFailsMidStageIsRetriedAndResumesFromTheCheckpoint() throws Exception {
    List<RankMetrics> reports = new CopyOnWriteArrayList<>();
    DataParallelSettings settings = settings(2).withCheckpointDir(dir.resolve("checkpoints").toString())
        .withMetricsListener(reports::add);
    List<LinearRankFunction.Result> results = DataParallel.run(spark, settings,
        new LinearRankFunction(LinearToy.PLAN, 5, new Fault(1, 13, FaultMode.THROW)));

    for (LinearRankFunction.Result result : results) {
      assertEquals(1, result.attempt(), "the stage ran a second time");
      assertEquals(10, result.resumedFrom(), "from the last checkpoint before step 13, not from scratch");
    }
    float[] uninterrupted = LinearToy.trainInProcess(LinearToy.PLAN, 2);
    assertArrayEquals(uninterrupted, results.get(0).weights());
    assertArrayEquals(uninterrupted, results.get(1).weights());
    assertTrue(reports.stream().anyMatch(r -> r.rank() == 1 && r.attempt() == 0
        && r.failure() == RankMetrics.Failure.OWN && r.message().contains("injected failure at step 13")),
        "the failure was reported live: " + reports);
  }

  @Test
  void aRankThatFailsInEveryAttemptEndsTheRunWithItsOwnError() {
    RankFunction<Integer> failing = context -> {
      if (context.rank() == 1) {
        throw new IllegalArgumentException("no shard for rank 1");
      }
      context.allReduce().barrier();
      return 0;
    };
    DataParallelException e = assertThrows(DataParallelException.class,
        () -> DataParallel.run(spark, settings(2).withCollectiveTimeout(Duration.ofSeconds(10)), failing));
    assertEquals("data-parallel test failed: rank 1/2 attempt 3: failed: java.lang.IllegalArgumentException:"
        + " no shard for rank 1", e.getMessage());
  }

  @Test
  void moreWorkersThanSlotsFailAtOnceWithOneClearError() {
    DataParallelException e = assertThrows(DataParallelException.class,
        () -> DataParallel.run(spark, settings(3), new DigestRankFunction(1)));
    assertEquals("3 data-parallel workers need 3 task slots at once, but local[2] offers 2 (one slot ="
        + " spark.task.cpus cores, and one GPU when spark.task.resource.gpu.amount is set): use at most 2"
        + " workers, or give the cluster more executors", e.getMessage());
  }

  /** Each rank waits until the driver has seen its report: only a report delivered mid-stage lets it finish. */
  @Test
  void reportsReachTheDriverWhileTheRanksAreStillRunning() {
    Path seen = dir.resolve("seen");
    DataParallelSettings settings = settings(2).withMetricsListener(report -> {
      if (report.step() != null) {
        try {
          Files.createDirectories(seen);
          Path written = Files.writeString(seen.resolve("writing-" + report.rank()), report.logLine());
          Files.move(written, seen.resolve("rank-" + report.rank()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
    String seenDir = seen.toString();
    List<String> results = DataParallel.run(spark, settings, context -> {
      context.metrics().step(7, Map.of("loss", 0.5 + context.rank()));
      Path mine = Path.of(seenDir, "rank-" + context.rank());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(mine) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      return Files.exists(mine) ? Files.readString(mine) : "not seen";
    });
    assertEquals(List.of("rank 0/2 attempt 0 step 7: loss=0.500000", "rank 1/2 attempt 0 step 7: loss=1.50000"),
        results);
  }
}
