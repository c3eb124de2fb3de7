package org.mlmspark.distributed.toy;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mlmspark.allreduce.AllReduce;
import org.mlmspark.allreduce.RingAllReduce;
import org.mlmspark.allreduce.RingOptions;
import org.mlmspark.distributed.MetricsSink;

/**
 * Linear regression trained by minibatch SGD on plain float arrays: a stand-in for the real trainer, small enough
 * to check exactly that N ranks of batch B, averaging gradients with the all-reduce, compute what one rank of
 * batch N·B computes. Each epoch visits the rows in an order that depends only on seed and epoch; global batch b
 * is the order's b-th slice of {@code globalBatch} rows, and rank r takes the r-th part of it.
 */
public final class LinearToy {
  public static final int FEATURES = 4;
  private static final float[] TRUE_WEIGHTS = {1.5f, -2f, 0.5f, 3f, 0.25f}; // last one is the bias

  /** @param rows rows of synthetic data; every epoch is {@code rows / globalBatch} steps */
  public record Plan(long seed, int rows, int globalBatch, int epochs, float learningRate)
      implements Serializable {
    public int stepsPerEpoch() {
      return rows / globalBatch;
    }

    public int totalSteps() {
      return epochs * stepsPerEpoch();
    }
  }

  public static final Plan PLAN = new Plan(42, 64, 8, 4, 0.2f);

  private final Plan plan;
  private final float[][] x;
  private final float[] y;

  public LinearToy(Plan plan) {
    this.plan = plan;
    SplittableRandom random = new SplittableRandom(plan.seed());
    x = new float[plan.rows()][FEATURES];
    y = new float[plan.rows()];
    for (int i = 0; i < plan.rows(); i++) {
      float target = TRUE_WEIGHTS[FEATURES];
      for (int f = 0; f < FEATURES; f++) {
        x[i][f] = (float) random.nextDouble(-1, 1);
        target += TRUE_WEIGHTS[f] * x[i][f];
      }
      y[i] = target + (float) random.nextDouble(-0.05, 0.05);
    }
  }

  public Plan plan() {
    return plan;
  }

  /** The epoch's row order: a function of seed and epoch only, identical on every rank. */
  int[] order(int epoch) {
    int[] order = new int[plan.rows()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(plan.seed() * 1_000_003L + epoch);
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** Called before each step; lets a test fail a rank at a chosen point. */
  public interface StepHook {
    void beforeStep(long step);
  }

  /** Called after each step with the new weights; rank 0 of the Spark version checkpoints here. */
  public interface StepDone {
    void afterStep(long stepsDone, float[] weights);
  }

  /**
   * Runs steps {@code from .. totalSteps-1} on {@code weights} (FEATURES weights + bias, updated in place) as
   * rank {@code ring.rank()} of {@code ring.worldSize()}: local gradient of the mean squared error over this
   * rank's part of each global batch, averaged across ranks, then one SGD step.
   */
  public float[] train(AllReduce ring, float[] weights, long from, MetricsSink metrics, StepHook hook,
      StepDone done) {
    int world = ring.worldSize();
    if (plan.globalBatch() % world != 0) {
      throw new IllegalArgumentException("global batch " + plan.globalBatch() + " is not divisible by " + world);
    }
    int local = plan.globalBatch() / world;
    ByteBuffer gradient = AllReduce.allocateFloats(FEATURES + 2); // weights, bias, then the local loss
    int cachedEpoch = -1;
    int[] order = null;
    for (long step = from; step < plan.totalSteps(); step++) {
      hook.beforeStep(step);
      int epoch = (int) (step / plan.stepsPerEpoch());
      if (epoch != cachedEpoch) {
        order = order(epoch);
        cachedEpoch = epoch;
      }
      int first = (int) (step % plan.stepsPerEpoch()) * plan.globalBatch() + ring.rank() * local;
      localGradient(weights, order, first, local, gradient);
      ring.averageInPlace(gradient);
      for (int p = 0; p <= FEATURES; p++) {
        weights[p] -= plan.learningRate() * gradient.getFloat(p * Float.BYTES);
      }
      if (metrics != null && ring.rank() == 0) {
        metrics.step(step, Map.of("loss", (double) gradient.getFloat((FEATURES + 1) * Float.BYTES)));
      }
      done.afterStep(step + 1, weights);
    }
    return weights;
  }

  private void localGradient(float[] w, int[] order, int first, int count, ByteBuffer out) {
    float[] g = new float[FEATURES + 2];
    for (int k = 0; k < count; k++) {
      int row = order[first + k];
      float error = w[FEATURES] - y[row];
      for (int f = 0; f < FEATURES; f++) {
        error += w[f] * x[row][f];
      }
      for (int f = 0; f < FEATURES; f++) {
        g[f] += 2 * error * x[row][f] / count;
      }
      g[FEATURES] += 2 * error / count;
      g[FEATURES + 1] += error * error / count;
    }
    for (int p = 0; p < g.length; p++) {
      out.putFloat(p * Float.BYTES, g[p]);
    }
  }

  /** Mean squared error of {@code weights} over all rows. */
  public double loss(float[] weights) {
    double sum = 0;
    for (int i = 0; i < plan.rows(); i++) {
      double error = weights[FEATURES] - y[i];
      for (int f = 0; f < FEATURES; f++) {
        error += weights[f] * x[i][f];
      }
      sum += error * error;
    }
    return sum / plan.rows();
  }

  /**
   * The uninterrupted run of {@code world} ranks without Spark: ranks as threads joined by a loopback ring (one
   * rank: no ring). Returns rank 0's weights; the ring leaves all ranks bit-identical.
   */
  public static float[] trainInProcess(Plan plan, int world) throws Exception {
    LinearToy toy = new LinearToy(plan);
    RingOptions options = RingOptions.of("linear-toy-reference").withTimeout(Duration.ofSeconds(30));
    List<ServerSocketChannel> listeners = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (int r = 0; r < world; r++) {
      listeners.add(RingAllReduce.listen("127.0.0.1", options));
      peers.add(RingAllReduce.address(listeners.get(r)));
    }
    ExecutorService threads = Executors.newFixedThreadPool(world);
    try {
      List<Future<float[]>> ranks = new ArrayList<>();
      for (int r = 0; r < world; r++) {
        int rank = r;
        ranks.add(threads.submit(() -> {
          try (AllReduce ring = AllReduce.open(listeners.get(rank), rank, peers, options)) {
            return toy.train(ring, new float[FEATURES + 1], 0, null, step -> {}, (s, w) -> {});
          }
        }));
      }
      try {
        return ranks.get(0).get();
      } catch (ExecutionException e) {
        throw (Exception) e.getCause();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** ‖a − b‖ / ‖b‖. */
  public static double relativeL2(float[] a, float[] b) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < b.length; i++) {
      diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
      norm += (double) b[i] * b[i];
    }
    return Math.sqrt(diff / norm);
  }
}
