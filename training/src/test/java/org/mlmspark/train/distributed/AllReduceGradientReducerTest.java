package org.mlmspark.train.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlmspark.allreduce.AllReduce;
import org.mlmspark.allreduce.RingAllReduce;
import org.mlmspark.allreduce.RingOptions;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.train.HfTrainFixture;
import org.mlmspark.train.LiveResources;
import org.mlmspark.train.TrainStep;
import org.mlmspark.train.data.MaskedBatch;
import org.mlmspark.train.io.HfTrainRecording;
import org.mlmspark.train.optim.AdamW;

/** Two ranks as threads of this JVM on a loopback ring, each with gradients of odd shapes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AllReduceGradientReducerTest {
  private static final Shape[] SHAPES = {new Shape(3, 5), new Shape(7), new Shape(1), new Shape(2, 3, 4)};

  /** What rank {@code rank} holds at float {@code i} of tensor {@code t}: distinct per rank, tensor and index. */
  private static float value(int rank, int t, int i) {
    return (rank + 1) * 0.37f * (i + 1) - t * 1.5f + rank * 1e-3f;
  }

  @ParameterizedTest
  @EnumSource(AllReduceGradientReducer.Staging.class)
  void everyRankEndsWithTheSumOfAllRanksGradientsAndScalars(AllReduceGradientReducer.Staging staging)
      throws Exception {
    // A bucket of 4 floats cuts tensors apart and spans tensor boundaries: 15 + 7 + 1 + 24 = 47 floats.
    List<Result> results = onTwoRanks((rank, ring) -> {
      try (NDManager manager = NDManager.newBaseManager();
          AllReduceGradientReducer reducer = new AllReduceGradientReducer(ring, 4, staging)) {
        List<NDArray> gradients = new ArrayList<>();
        for (int t = 0; t < SHAPES.length; t++) {
          float[] values = new float[(int) SHAPES[t].size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = value(rank, t, i);
          }
          gradients.add(manager.create(values, SHAPES[t]));
        }
        reducer.sumGradients(gradients);
        reducer.sumGradients(gradients); // twice: the flat buffer is reused, the sums double again
        double[] scalars = {rank == 0 ? 3_000_000_123L : 5, 0.1 * (rank + 1)};
        reducer.sumScalars(scalars);
        List<float[]> summed = gradients.stream().map(NDArray::toFloatArray).toList();
        for (int t = 0; t < SHAPES.length; t++) {
          assertEquals(SHAPES[t], gradients.get(t).getShape());
        }
        return new Result(summed, scalars);
      }
    });
    for (int t = 0; t < SHAPES.length; t++) {
      float[] expected = new float[(int) SHAPES[t].size()];
      for (int i = 0; i < expected.length; i++) {
        float once = value(0, t, i) + value(1, t, i);
        expected[i] = once + once;
      }
      assertArrayEquals(expected, results.get(0).gradients().get(t), "tensor " + t);
      assertArrayEquals(results.get(0).gradients().get(t), results.get(1).gradients().get(t), "bit-identical");
    }
    for (Result result : results) {
      assertEquals(3_000_000_128.0, result.scalars()[0], "counts are exact beyond float precision");
      assertEquals(0.3, result.scalars()[1], 1e-12);
    }
    assertArrayEquals(results.get(0).scalars(), results.get(1).scalars());
  }

  /**
   * 50 training steps of two ranks through the host-staged path a GPU rank takes (device → host tensor → ring →
   * device): the NDArrays and managers alive after step 50 are those alive after step 5.
   */
  @Test
  void fiftyStepsThroughTheHostCopyLeaveNothingBehind() throws Exception {
    HfTrainRecording fixture = HfTrainFixture.load();
    List<LiveResources.Count> counts = new ArrayList<>();
    onTwoRanks((rank, ring) -> {
      try (NDManager manager = NDManager.newBaseManager();
          AllReduceGradientReducer reducer = new AllReduceGradientReducer(ring, 1000,
              AllReduceGradientReducer.Staging.ALWAYS)) {
        MaskedLmModel model = Checkpoints.load(ModelDirectory.of(
            new Path(HfTrainFixture.directory().resolve("model").toUri()), new Configuration()), manager).model();
        HfTrainRecording.Optimizer settings = fixture.optimizer();
        TrainStep step = new TrainStep(model, manager, new AdamW(settings.adamW(), manager),
            settings.linearSchedule(), settings.maxGradNorm(), reducer, 42, rank);
        for (int i = 0; i < 50; i++) {
          MaskedBatch batch = fixture.batches().get((2 * i + rank) % fixture.batches().size()).toMaskedBatch();
          TrainStep.Result result = step.run(List.of(batch), i % 10);
          assertTrue(Double.isFinite(result.loss()) && result.gradNorm() > 0, "step " + i + " trained");
          if (i == 4 || i == 49) {
            ring.barrier(); // both ranks between steps
            if (rank == 0) {
              counts.add(LiveResources.now());
            }
            ring.barrier();
          }
        }
      }
      return new Result(List.of(), new double[0]);
    });
    assertEquals(2, counts.size());
    assertEquals(counts.get(0), counts.get(1), "live NDArrays and managers after step 5 and after step 50");
  }

  private record Result(List<float[]> gradients, double[] scalars) {}

  private interface RankBody {
    Result run(int rank, AllReduce ring) throws Exception;
  }

  private static List<Result> onTwoRanks(RankBody body) throws Exception {
    RingOptions options = new RingOptions("reducer-test", Duration.ofSeconds(20), RingOptions.DEFAULT_BUCKET_FLOATS,
        RingOptions.DEFAULT_SOCKET_BUFFER_BYTES);
    List<ServerSocketChannel> listeners = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      listeners.add(RingAllReduce.listen("127.0.0.1", options));
      peers.add(RingAllReduce.address(listeners.get(r)));
    }
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<CompletableFuture<Result>> ranks = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        int rank = r;
        ranks.add(CompletableFuture.supplyAsync(() -> {
          try (AllReduce ring = AllReduce.open(listeners.get(rank), rank, peers, options)) {
            return body.run(rank, ring);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, threads));
      }
      return ranks.stream().map(CompletableFuture::join).toList();
    } finally {
      threads.shutdownNow();
    }
  }
}
