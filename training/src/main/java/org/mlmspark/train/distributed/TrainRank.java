package org.mlmspark.train.distributed;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;
import org.mlmspark.distributed.RankContext;
import org.mlmspark.distributed.RankFunction;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.tokenizer.SpecialTokens;
import org.mlmspark.train.Compute;
import org.mlmspark.train.DeviceChoice;
import org.mlmspark.train.TrainStep;
import org.mlmspark.train.Trainer;
import org.mlmspark.train.TrainingHistory;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.TrainingState;
import org.mlmspark.train.data.BlockDataset;
import org.mlmspark.train.io.TensorBoardLog;
import org.mlmspark.train.io.TrainCheckpoints;
import org.mlmspark.train.io.TrainOutput;
import org.mlmspark.train.report.ModelCard;

/**
 * One data-parallel rank of {@code bin/train --workers N}: builds the model from the same directory as every
 * other rank, trains on its share of every global batch with the ring summing the gradients, and (rank 0 only)
 * writes checkpoints and the final output. On a stage retry every rank restarts from the newest complete
 * checkpoint, which rank 0 names for all, so a retried run ends where an uninterrupted one would.
 *
 * <p>Serializable: the driver builds it; paths are URIs every executor must reach (a shared file system, HDFS or
 * S3A on a real cluster); the blocks travel as a Spark broadcast.
 */
public final class TrainRank implements RankFunction<TrainRank.Result> {
  private static final long serialVersionUID = 1L;
  private static final long FRESH = -1;
  private static final long GIVEN_CHECKPOINT = -2;

  /** What the driver learns from a rank. */
  public record Result(int rank, int attempt, long startStep, long finalStep, double finalLoss)
      implements Serializable {}

  /** The training and evaluation blocks, broadcast once to every executor. */
  /**
   * The blocks every rank reads, broadcast once. A class rather than a record: Spark's Kryo (the serializer
   * conf/spark-defaults.conf selects) cannot read records' fields.
   */
  public static final class Blocks implements Serializable {
    private static final long serialVersionUID = 1L;
    private final BlockDataset train;
    private final BlockDataset test;

    public Blocks(BlockDataset train, BlockDataset test) {
      this.train = train;
      this.test = test;
    }

    public BlockDataset train() {
      return train;
    }

    /** The test blocks, or null without a test split. */
    public BlockDataset test() {
      return test;
    }
  }

  /** Called by every rank after each optimizer step; tests of recovery make a rank fail with it. */
  public interface AfterStep extends Serializable {
    AfterStep NONE = (rank, attempt, step) -> {};

    void afterStep(int rank, int attempt, long step);
  }

  private final Broadcast<Blocks> blocks;
  private final SpecialTokens tokens;
  private final TrainingSettings settings;
  private final Compute compute;
  private final String model;
  private final String tokenizer;
  private final String output;
  private final String resumeFrom;
  private final int keepCheckpoints;
  private final int logEvery;
  private final Map<String, String> hadoopConf;
  private final LinkedHashMap<String, String> tensorBoardTexts;
  private final AfterStep afterStep;
  private final ModelCard.Facts card;

  /**
   * @param resumeFrom the checkpoint the run starts from (bin/train --resume), or null for the model's weights
   * @param tensorBoardTexts with {@code --report-to tensorboard}, the hyperparameter texts rank 0 logs with its
   *                         event files ({@link TensorBoardLog}); null: no TensorBoard
   */
  public TrainRank(Broadcast<Blocks> blocks, SpecialTokens tokens, TrainingSettings settings, Compute compute,
      String model,
      String tokenizer, String output, String resumeFrom, int keepCheckpoints, int logEvery, Configuration conf,
      LinkedHashMap<String, String> tensorBoardTexts, AfterStep afterStep,
      ModelCard.Facts card) {
    this.blocks = blocks;
    this.tokens = tokens;
    this.settings = settings;
    this.compute = compute;
    this.model = model;
    this.tokenizer = tokenizer;
    this.output = output;
    this.resumeFrom = resumeFrom;
    this.keepCheckpoints = keepCheckpoints;
    this.logEvery = logEvery;
    this.hadoopConf = new LinkedHashMap<>();
    conf.forEach(e -> hadoopConf.put(e.getKey(), e.getValue()));
    this.tensorBoardTexts = tensorBoardTexts;
    this.afterStep = afterStep;
    this.card = card;
  }

  @Override
  public Result run(RankContext context) throws Exception {
    Configuration conf = new Configuration(false);
    hadoopConf.forEach(conf::set);
    int rank = context.rank();
    Path outputPath = new Path(output);
    TrainCheckpoints checkpoints =
        new TrainCheckpoints(new Path(outputPath, TrainOutput.CHECKPOINTS), conf, keepCheckpoints);
    long start = agreeOnStart(context, checkpoints);
    Path startFrom = start == FRESH ? null
        : start == GIVEN_CHECKPOINT ? new Path(resumeFrom) : new Path(checkpoints.directory(), "step-" + start);

    Blocks data = blocks.value();
    ModelDirectory tokenizerDir = ModelDirectory.of(new Path(tokenizer), conf);
    compute.requireTf32Environment();
    DeviceChoice.Decision device =
        DeviceChoice.forRank(compute.device(), context.device(), rank, DeviceChoice.EngineDevices.probe());
    context.metrics().message("device " + device + "; " + compute.precision());
    try (NDManager manager = NDManager.newBaseManager(device.device());
        AllReduceGradientReducer reducer = new AllReduceGradientReducer(context.allReduce())) {
      MaskedLmModel network = Checkpoints.load(ModelDirectory.of(new Path(model), conf), manager).model();
      // Evaluation needs no collective, so only rank 0, whose history is the one written, evaluates.
      Trainer trainer = new Trainer(network, manager, data.train(), rank == 0 ? data.test() : null, tokens,
          settings, rank, context.worldSize(), reducer, logEvery);
      int trainBlocks = data.train().size();
      TrainingState state = startFrom == null ? trainer.newState()
          : TrainCheckpoints.restore(startFrom, conf, network, manager, settings, trainBlocks);
      long startStep = state.globalStep();
      if (startFrom != null) {
        context.metrics().message("resuming at step " + startStep + " from " + startFrom);
      }
      double[] lastLoss = {Double.NaN};
      try (TensorBoardLog board = rank == 0 && tensorBoardTexts != null
          ? TensorBoardLog.open(outputPath, conf, startStep, tensorBoardTexts) : null) {
        trainer.run(state, new Trainer.Listener() {
          @Override
          public void onStep(TrainingHistory.StepLog step, TrainStep.Result result) {
            lastLoss[0] = step.loss();
            if (board != null) {
              board.onStep(step, result);
            }
            if (step.step() % logEvery == 0 || step.step() == state.schedule().totalSteps()) {
              Map<String, Double> values = new LinkedHashMap<>();
              values.put("loss", step.loss());
              values.put("lr", step.learningRate());
              values.put("grad_norm", step.gradNorm());
              values.put("tokens_per_s", step.tokensPerSecond());
              context.metrics().step(step.step(), values);
            }
            afterStep.afterStep(rank, context.attempt(), step.step());
            context.checkCancelled();
          }

          @Override
          public void onEval(TrainingHistory.EvalLog eval) {
            context.metrics().step(eval.step(), Map.of("eval_loss", eval.loss(), "perplexity", eval.perplexity(),
                "eval_accuracy", eval.accuracy()));
            if (board != null) {
              board.onEval(eval);
            }
          }

          @Override
          public void onCheckpoint(TrainingState at) throws IOException {
            if (rank == 0) {
              if (board != null) {
                board.onCheckpoint(at);
              }
              Path written = checkpoints.write(network, tokenizerDir, at, settings, trainBlocks,
                  trainer.stepsPerEpoch());
              context.metrics().message("checkpoint " + written);
            }
          }
        });
      }
      if (rank == 0) {
        TrainOutput.write(outputPath, conf, network, tokenizerDir, state, settings, trainBlocks,
            trainer.stepsPerEpoch(), card);
      }
      // No rank reports success before the output is complete: a rank 0 failing to write fails the stage.
      context.allReduce().barrier();
      return new Result(rank, context.attempt(), startStep, state.globalStep(), lastLoss[0]);
    }
  }

  /**
   * Where all ranks start: on a retried stage the newest complete checkpoint of this run, else the checkpoint
   * given to bin/train, else the model's weights. Rank 0 decides and tells the others through the ring, so they
   * cannot disagree even if a straggler of the failed attempt renames a checkpoint meanwhile.
   */
  private long agreeOnStart(RankContext context, TrainCheckpoints checkpoints) throws IOException {
    double[] choice = {0};
    if (context.rank() == 0) {
      long start = resumeFrom == null ? FRESH : GIVEN_CHECKPOINT;
      if (context.attempt() > 0) {
        var latest = checkpoints.latest();
        if (latest.isPresent()) {
          start = Long.parseLong(latest.get().getName().substring("step-".length()));
        }
      }
      choice[0] = start;
    }
    new AllReduceGradientReducer(context.allReduce()).sumScalars(choice);
    return (long) choice[0];
  }
}
