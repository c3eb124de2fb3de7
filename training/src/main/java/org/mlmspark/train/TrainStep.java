package org.mlmspark.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.blocks.GraphScalars;
import org.mlmspark.model.blocks.NamedParameter;
import org.mlmspark.train.data.MaskedBatch;
import org.mlmspark.train.data.RandomStreams;
import org.mlmspark.train.optim.AdamW;
import org.mlmspark.train.optim.GlobalNormClip;
import org.mlmspark.train.optim.LinearWarmupSchedule;

/**
 * One optimizer step as HF Trainer (transformers 5) takes it, on this rank's micro-batches:
 *
 * <ol>
 *   <li>N = the labelled positions of the whole step, over all micro-batches and ranks;
 *   <li>each micro-batch backpropagates sum(token cross-entropy) / N, so gradients accumulate to the gradient of
 *       the step's mean loss however the step is cut into micro-batches and ranks;
 *   <li>gradients are summed across ranks, clipped to a global norm, and AdamW updates the parameters at the
 *       schedule's learning rate.
 * </ol>
 *
 * Dropout draws come from torch's generator re-seeded from (seed, step, rank) at every step, so a resumed run
 * draws what the uninterrupted run drew.
 */
public final class TrainStep {
  /**
   * What one step did, over all ranks: the loss HF logs (total / N), the gradient norm before clipping, the lr
   * used, the labelled positions (N) and the tokens processed; and where this rank's time went.
   */
  public record Result(double loss, double gradNorm, double learningRate, long labels, long tokens, Phases phases) {}

  /**
   * Wall seconds of this rank's step by phase: forward passes, backward passes, summing across ranks (scalars and
   * gradients; waiting for the other ranks included), the global gradient norm, the AdamW update.
   */
  public record Phases(double forward, double backward, double reduce, double norm, double optimizer) {}

  private final MaskedLmModel model;
  private final List<NamedParameter> parameters;
  private final AdamW optimizer;
  private final LinearWarmupSchedule schedule;
  private final double maxGradNorm;
  private final GradientReducer reducer;
  private final long seed;
  private final int rank;
  private final NDManager manager;

  /**
   * Ranks sharing a JVM (Spark task threads in local[N]) take turns at local compute: torch's default generator
   * (dropout) is per JVM, and concurrent training threads corrupted libtorch's heap here. Never held during a
   * collective, so ranks in other JVMs are never held up by it.
   */
  private static final Object TORCH = new Object();

  public TrainStep(MaskedLmModel model, NDManager manager, AdamW optimizer, LinearWarmupSchedule schedule,
      double maxGradNorm, GradientReducer reducer, long seed, int rank) {
    this.model = model;
    this.parameters = model.namedParameters();
    this.manager = manager;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.maxGradNorm = maxGradNorm;
    this.reducer = reducer;
    this.seed = seed;
    this.rank = rank;
  }

  /**
   * Runs the step after {@code completedSteps} earlier ones and reads its loss and gradient norm back at once.
   *
   * @param microBatches this rank's share of the step (may be empty when a short last batch has nothing for it)
   */
  public Result run(List<MaskedBatch> microBatches, long completedSteps) {
    return read(List.of(start(microBatches, completedSteps)), reducer).get(0);
  }

  /**
   * Runs the step after {@code completedSteps} earlier ones, leaving its loss and gradient norm on the device:
   * nothing is read back from the device in the whole step (on a GPU the host only queues work), until
   * {@link #read} collects the scalars of several steps at once.
   */
  public Pending start(List<MaskedBatch> microBatches, long completedSteps) {
    PhaseClock clock = new PhaseClock();
    double[] counts = {
        microBatches.stream().mapToLong(MaskedBatch::labelCount).sum(),
        microBatches.stream().mapToLong(b -> (long) b.batchSize() * b.sequenceLength()).sum()};
    reducer.sumScalars(counts);
    double total = counts[0];
    clock.reduce += clock.lap();
    NDManager scalars = manager.newSubManager();
    try {
      NDArray loss;
      synchronized (TORCH) {
        Engine.getInstance().setRandomSeed(
            RandomStreams.stream(seed, RandomStreams.Purpose.DROPOUT, completedSteps, rank).nextInt());
        loss = backward(microBatches, total, clock, scalars);
      }

      List<AdamW.Parameter> update = new ArrayList<>(parameters.size());
      for (NamedParameter p : parameters) {
        NDArray value = p.parameter().getArray();
        update.add(new AdamW.Parameter(p.name(), value, value.getGradient()));
      }
      List<NDArray> gradients = update.stream().map(AdamW.Parameter::gradient).toList();
      try {
        clock.lap();
        reducer.sumGradients(gradients);
        clock.reduce += clock.lap();
        double lr = schedule.learningRate(completedSteps);
        NDArray gradNorm;
        synchronized (TORCH) {
          gradNorm = GlobalNormClip.totalNorm(gradients, scalars);
          clock.norm = clock.lap();
          // clipping is folded into the update: the optimizer scales each gradient as it reads it
          try (NDArray clip = GlobalNormClip.coefficient(gradNorm, maxGradNorm)) {
            optimizer.step(update, lr, clip);
          }
          clock.optimizer = clock.lap();
        }
        NDArray both = NDArrays.stack(new NDList(loss, gradNorm));
        both.attach(scalars);
        return new Pending(scalars, both, lr, (long) total, (long) counts[1], clock.phases());
      } finally {
        gradients.forEach(NDArray::close); // handles onto the parameters' gradients, not the gradients themselves
      }
    } catch (RuntimeException | Error e) {
      scalars.close();
      throw e;
    }
  }

  /**
   * A step whose loss (this rank's share) and gradient norm are still on the device, in a manager of their own
   * that {@link #read} closes.
   */
  public static final class Pending implements AutoCloseable {
    private final NDManager manager;
    private final NDArray scalars;
    private final double learningRate;
    private final long labels;
    private final long tokens;
    private final Phases phases;

    private Pending(NDManager manager, NDArray scalars, double learningRate, long labels, long tokens,
        Phases phases) {
      this.manager = manager;
      this.scalars = scalars;
      this.learningRate = learningRate;
      this.labels = labels;
      this.tokens = tokens;
      this.phases = phases;
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  /**
   * The results of {@code steps}, in order, with one read from the device for all of them and one sum of their
   * losses across ranks (every rank reads the same steps at the same point); closes them.
   */
  public static List<Result> read(List<Pending> steps, GradientReducer reducer) {
    try {
      if (steps.isEmpty()) {
        return List.of();
      }
      NDList all = new NDList(steps.size());
      steps.forEach(p -> all.add(p.scalars));
      float[] values;
      try (NDArray stacked = NDArrays.stack(all)) {
        values = stacked.toFloatArray();
      }
      double[] losses = new double[steps.size()];
      for (int i = 0; i < losses.length; i++) {
        losses[i] = values[2 * i];
      }
      reducer.sumScalars(losses);
      List<Result> results = new ArrayList<>(steps.size());
      for (int i = 0; i < losses.length; i++) {
        Pending p = steps.get(i);
        results.add(new Result(losses[i], values[2 * i + 1], p.learningRate, p.labels, p.tokens, p.phases));
      }
      return results;
    } finally {
      steps.forEach(Pending::close);
    }
  }

  /**
   * Forward and backward of every micro-batch, each contributing sum(token CE) / total to the gradients; returns
   * this rank's share of the step's loss, a 0-d float32 tensor in {@code keep}.
   */
  private NDArray backward(List<MaskedBatch> microBatches, double total, PhaseClock clock, NDManager keep) {
    NDArray lossSum = null;
    try (ThreadGradientCollector collector = new ThreadGradientCollector()) {
      for (MaskedBatch batch : microBatches) {
        int labels = batch.labelCount();
        if (labels == 0) {
          continue; // nothing to predict: no loss term, no gradient
        }
        try (NDManager scope = manager.newSubManager()) {
          clock.lap();
          NDArray mean = DeviceBatch.upload(scope, batch).loss(model, true);
          // mean × labels / N = sum / N; one micro-batch per step (labels = N) keeps HF's loss bit for bit
          NDArray loss = labels == total ? mean : GraphScalars.multiply(mean, (float) (labels / total));
          clock.forward += clock.lap();
          collector.backward(loss);
          NDArray value = loss.stopGradient();
          value.attach(keep);
          if (lossSum == null) {
            lossSum = value;
          } else {
            NDArray sum = lossSum.add(value);
            sum.attach(keep);
            lossSum.close();
            value.close();
            lossSum = sum;
          }
          clock.backward += clock.lap();
        }
      }
    }
    return lossSum != null ? lossSum : keep.zeros(new Shape());
  }

  /** Accumulates a step's wall time by phase (the engine is synchronous on CPU, so a lap is the work done). */
  private static final class PhaseClock {
    private long last = System.nanoTime();
    double forward;
    double backward;
    double reduce;
    double norm;
    double optimizer;

    /** Seconds since the previous lap. */
    double lap() {
      long now = System.nanoTime();
      double seconds = (now - last) / 1e9;
      last = now;
      return seconds;
    }

    Phases phases() {
      return new Phases(forward, backward, reduce, norm, optimizer);
    }
  }
}
