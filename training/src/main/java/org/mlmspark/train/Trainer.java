package org.mlmspark.train;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.tokenizer.SpecialTokens;
import org.mlmspark.train.TrainingHistory.EvalLog;
import org.mlmspark.train.TrainingHistory.StepLog;
import org.mlmspark.train.data.BatchPlan;
import org.mlmspark.train.data.BlockDataset;
import org.mlmspark.train.data.DataPosition;
import org.mlmspark.train.data.EpochOrder;
import org.mlmspark.train.data.MaskedBatch;
import org.mlmspark.train.data.MlmMasking;
import org.mlmspark.train.optim.AdamW;

/**
 * The training loop of one rank: from a state's step to the end of the schedule, each step's samples from the
 * epoch order and the batch plan, masked by the collator, through {@link TrainStep}; evaluations and
 * checkpoints at their intervals. Knows nothing of Spark, files or how ranks talk: that is the
 * {@link GradientReducer}'s and the {@link Listener}'s business, so one loop serves one and N workers.
 */
public final class Trainer {
  /** Hears what the loop does; checkpoints are written here (by rank 0 only, in data-parallel runs). */
  public interface Listener {
    default void onStep(StepLog step, TrainStep.Result result) {}

    default void onEval(EvalLog eval) {}

    default void onCheckpoint(TrainingState state) throws Exception {}
  }

  private final MaskedLmModel model;
  private final NDManager manager;
  private final BlockDataset train;
  private final BlockDataset test;
  private final TrainingSettings settings;
  private final int rank;
  private final GradientReducer reducer;
  private final BatchPlan plan;
  private final EpochOrder order;
  private final MlmMasking masking;
  private final int stepsPerEpoch;
  private final int logEvery;

  /**
   * @param test     the evaluation blocks, or null to skip evaluation
   * @param ranks    the number of data-parallel workers; this one is {@code rank}
   * @param logEvery steps' losses and gradient norms are read back from the device every this many steps (and
   *                 before evaluations, checkpoints and the end); the listener hears of each step then
   */
  public Trainer(MaskedLmModel model, NDManager manager, BlockDataset train, BlockDataset test,
      SpecialTokens tokens, TrainingSettings settings, int rank, int ranks, GradientReducer reducer, int logEvery) {
    this.model = model;
    this.manager = manager;
    this.train = train;
    this.test = test;
    this.settings = settings;
    this.rank = rank;
    this.reducer = reducer;
    this.plan = settings.plan(ranks);
    this.order = new EpochOrder(settings.seed(), train.size());
    this.masking = new MlmMasking(tokens, settings.mlmProbability(), settings.seed(), settings.wholeWordMask());
    this.stepsPerEpoch = plan.stepsPerEpoch(train.size());
    if (logEvery < 1) {
      throw new IllegalArgumentException("log interval must be >= 1, got " + logEvery);
    }
    this.logEvery = logEvery;
  }

  public int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** The state of a fresh run: a new optimizer (moments in {@code manager}) and the run's schedule, step 0. */
  public TrainingState newState() {
    return new TrainingState(new AdamW(settings.adamW(), manager), settings.schedule(plan, train.size()), 0,
        new TrainingHistory());
  }

  /** Trains from {@code state} to the end of its schedule, updating the model and the state in place. */
  public void run(TrainingState state, Listener listener) throws Exception {
    TrainStep step = new TrainStep(model, manager, state.optimizer(), state.schedule(), settings.maxGradNorm(),
        reducer, settings.seed(), rank);
    Evaluator evaluator = test == null ? null
        : new Evaluator(model, manager, test, masking, settings.batchSize());
    List<TrainStep.Pending> pending = new ArrayList<>();
    List<double[]> wall = new ArrayList<>(); // {step, seconds} of each pending step
    try {
      while (!state.finished()) {
        if (Thread.currentThread().isInterrupted()) { // Ctrl-C, or Spark cancelling the task: stop between steps
          throw new InterruptedException("interrupted before step " + (state.globalStep() + 1));
        }
        long started = System.nanoTime();
        DataPosition position = DataPosition.afterSteps(state.globalStep(), stepsPerEpoch);
        List<MaskedBatch> batches = plan.samplesFor(order, position, rank).stream()
            .filter(indexes -> indexes.length > 0)
            .map(indexes -> masking.collate(train.blocks(indexes), train.wordStarts(indexes), indexes,
                position.epoch()))
            .toList();
        pending.add(step.start(batches, state.globalStep()));
        state.completeStep();
        long done = state.globalStep();
        wall.add(new double[] {done, (System.nanoTime() - started) / 1e9});

        boolean epochEnd = position.step() == stepsPerEpoch - 1;
        boolean evalDue = (settings.evalEvery() == 0 ? epochEnd : done % settings.evalEvery() == 0)
            || state.finished();
        boolean checkpointDue =
            settings.checkpointEvery() > 0 && done % settings.checkpointEvery() == 0 && !state.finished();
        // the same on every rank: reading sums the losses across ranks
        if (done % logEvery == 0 || evalDue || checkpointDue || state.finished()) {
          List<TrainStep.Result> results = TrainStep.read(pending, reducer);
          for (int i = 0; i < results.size(); i++) {
            TrainStep.Result result = results.get(i);
            long at = (long) wall.get(i)[0];
            StepLog log = new StepLog(at, epoch(at), result.loss(), result.gradNorm(), result.learningRate(),
                result.tokens() / wall.get(i)[1]);
            state.history().add(log);
            listener.onStep(log, result);
          }
          pending.clear();
          wall.clear();
        }
        if (evaluator != null && evalDue) {
          long evalStart = System.nanoTime();
          Evaluator.Result scores = evaluator.evaluate();
          EvalLog eval = new EvalLog(done, epoch(done), scores.loss(), scores.accuracy(),
              (System.nanoTime() - evalStart) / 1e9);
          state.history().add(eval);
          listener.onEval(eval);
        }
        if (checkpointDue) {
          listener.onCheckpoint(state);
        }
      }
    } finally {
      pending.forEach(TrainStep.Pending::close);
    }
  }

  /** HF's fractional epoch after {@code completedSteps} steps. */
  public double epoch(long completedSteps) {
    return (double) completedSteps / stepsPerEpoch;
  }
}
