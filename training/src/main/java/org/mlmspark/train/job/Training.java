package org.mlmspark.train.job;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.Version;
import org.mlmspark.cli.HadoopConf;
import org.mlmspark.cli.UserError;
import org.mlmspark.distributed.DataParallel;
import org.mlmspark.distributed.DataParallelSettings;
import org.mlmspark.hub.HubClient;
import org.mlmspark.hub.HubException;
import org.mlmspark.hub.HubSettings;
import org.mlmspark.hub.HubUploader;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelFamilies;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.model.family.ModelFamily;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.spark.Sessions;
import org.mlmspark.storage.ObjectStoreProbe;
import org.mlmspark.storage.OutputLock;
import org.mlmspark.support.Json;
import org.mlmspark.tokenizer.SpecialTokens;
import org.mlmspark.tokenizer.TokenizerFiles;
import org.mlmspark.tokenizer.TokenizerFingerprint;
import org.mlmspark.tokenizer.TokenizerResolver;
import org.mlmspark.train.ConsoleProgress;
import org.mlmspark.train.DeviceChoice;
import org.mlmspark.train.GradientReducer;
import org.mlmspark.train.LocalSlots;
import org.mlmspark.train.ReportTo;
import org.mlmspark.train.TrainStep;
import org.mlmspark.train.Trainer;
import org.mlmspark.train.TrainingHistory;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.TrainingState;
import org.mlmspark.train.data.BatchPlan;
import org.mlmspark.train.distributed.TrainRank;
import org.mlmspark.train.hub.HubStrategy;
import org.mlmspark.train.hub.ModelPush;
import org.mlmspark.train.io.PreprocessedData;
import org.mlmspark.train.io.TensorBoardLog;
import org.mlmspark.train.io.TrainCheckpoints;
import org.mlmspark.train.io.TrainOutput;
import org.mlmspark.train.io.TrainerStateFile;
import org.mlmspark.train.report.ModelCard;

/**
 * The training step: fine-tunes a masked LM on preprocessed blocks with HF Trainer's recipe, in this JVM or on N
 * data-parallel ranks, checkpointing, and pushing to the hub when asked. Holds the output's lock for the whole
 * run: a second run on the same output fails naming this one, and only the holder cleans up what a killed run
 * left there.
 */
public final class Training {
  private final TrainRun run;
  private final Configuration conf;
  private final PrintStream out;
  private final TrainRank.AfterStep afterStep;
  /** Where the run pushes (null: nowhere), and what its model card says. */
  private ModelPush push;
  private ModelCard.Facts card;

  private Training(TrainRun run, Configuration conf, PrintStream out, TrainRank.AfterStep afterStep) {
    this.run = run;
    this.conf = conf;
    this.out = out;
    this.afterStep = afterStep;
  }

  /** Trains as {@code run} says; progress goes to stdout. */
  public static Path run(TrainRun run) throws Exception {
    return run(run, TrainRank.AfterStep.NONE);
  }

  /** With a hook each data-parallel rank calls after every step (tests make a rank fail with it). */
  public static Path run(TrainRun run, TrainRank.AfterStep afterStep) throws Exception {
    Configuration conf = HadoopConf.fromSystemProperties();
    ObjectStoreProbe.requireReachable(Arrays.asList(run.data(), run.model(), run.tokenizer(), run.output()), conf);
    try (OutputLock lock = OutputLock.forOutput(new Path(run.output()), conf)) {
      return new Training(run, conf, System.out, afterStep).train(lock);
    }
  }

  /** The line for a run ended by Ctrl-C: what {@code --resume} would continue from. */
  public static String interruptedLine(String output, int keepCheckpoints) {
    try {
      return new TrainCheckpoints(new Path(output, TrainOutput.CHECKPOINTS), HadoopConf.fromSystemProperties(),
          keepCheckpoints).latest()
          .map(c -> "interrupted: " + output + " left as it was; --resume continues from " + c)
          .orElse("interrupted: " + output + " left as it was; no checkpoint yet, so a new run starts over");
    } catch (IOException e) {
      return "interrupted: " + output + " left as it was";
    }
  }

  private Path train(OutputLock lock) throws Exception {
    TrainingSettings settings = run.recipe();
    ModelDirectory modelDir = ModelDirectory.resolve(run.model(), conf);
    ModelDirectory tokenizerDir = run.tokenizer() == null ? modelDir : ModelDirectory.resolve(run.tokenizer(), conf);
    ModelConfig config = Checkpoints.readConfig(modelDir);
    ModelFamily family = ModelFamilies.of(config);
    SpecialTokens tokens = specialTokens(tokenizerDir, config);
    Path outputPath = new Path(run.output());
    TrainCheckpoints checkpoints =
        new TrainCheckpoints(new Path(outputPath, TrainOutput.CHECKPOINTS), conf, run.keepCheckpoints());
    Path resumeFrom = resumePoint(outputPath, checkpoints);
    // Everything checkable without Spark and libtorch is checked before they start: a mistake costs seconds.
    requireDataTokenizer(PreprocessedData.readManifest(run.data(), conf), run.data(), tokenizerDir);
    DeviceChoice.checkRequestable(run.compute().device());
    if (run.workers() > 1) {
      LocalSlots.check(run.workers(), System.getProperty("spark.master", "local[*]"),
          Integer.getInteger("spark.task.cpus", 1), Runtime.getRuntime().availableProcessors());
    }

    PreprocessedData.Limits limits = new PreprocessedData.Limits(config.vocabSize(), family.maxSequenceLength(config));
    boolean running = SparkSession.getDefaultSession().isDefined();
    SparkSession spark = Sessions.getOrCreate("train");
    PreprocessedData dataset;
    try {
      dataset = PreprocessedData.load(spark, run.data(), limits);
      if (settings.wholeWordMask() && !(dataset.train().hasWordStarts()
          && (dataset.test() == null || dataset.test().hasWordStarts()))) {
        throw new IllegalArgumentException("--whole-word-mask needs the word starts of every token, and "
            + run.data() + " has none: preprocess it again with --word-starts");
      }
      out.printf("data: %,d training blocks (%,d tokens), %s%n", dataset.train().size(),
          dataset.train().tokenCount(), dataset.test() == null ? "no test split: evaluation skipped"
              : String.format("%,d test blocks", dataset.test().size()));
      if (run.push() != null) {
        try {
          HubSettings hub = run.push().hub() != null ? run.push().hub() : HubSettings.fromEnvironment();
          push = ModelPush.prepare(new HubUploader(hub), run.push().modelId(), outputPath.getName(),
              run.push().privateRepo());
        } catch (HubException e) { // no token, no access, no such account: found before any training
          throw new UserError(e.getMessage(), UserError.USAGE, e);
        }
        out.println("pushing to the Hub: " + push.repoId() + " (hub strategy " + run.push().strategy() + ")");
      }
      card = cardFacts(spark, dataset);
      if (run.workers() > 1) {
        trainDataParallel(spark, dataset, modelDir, tokenizerDir, tokens, outputPath, resumeFrom);
        pushFinal(outputPath);
        return outputPath;
      }
    } finally {
      if (!running) {
        spark.stop(); // one worker trains in this JVM: free the cores Spark held for reading
      }
    }

    run.compute().requireTf32Environment();
    DeviceChoice.Decision decision = DeviceChoice.decide(run.compute().device(), DeviceChoice.EngineDevices.probe());
    Device target = decision.device();
    out.printf("device: %s; %s%n", decision, run.compute().precision());
    try (NDManager manager = NDManager.newBaseManager(target)) {
      MaskedLmModel network = Checkpoints.load(modelDir, manager).model();
      Trainer trainer = new Trainer(network, manager, dataset.train(), dataset.test(), tokens, settings, 0, 1,
          GradientReducer.SINGLE_WORKER, run.logEvery());
      int blocks = dataset.train().size();
      TrainingState state = resumeFrom == null ? trainer.newState()
          : TrainCheckpoints.restore(resumeFrom, conf, network, manager, settings, blocks);
      out.printf("%s on %s: %d steps (%d per epoch), batch %d x %d accumulation, lr %.2e, warmup %d%s%n",
          config.modelType(), target, state.schedule().totalSteps(), trainer.stepsPerEpoch(), settings.batchSize(),
          settings.gradientAccumulationSteps(), state.schedule().peakLearningRate(), state.schedule().warmupSteps(),
          resumeFrom == null ? "" : ", resuming at step " + state.globalStep() + " from " + resumeFrom);

      ConsoleProgress progress = new ConsoleProgress(out, run.logEvery(), state.globalStep(),
          state.schedule().totalSteps(), System.console() != null);
      HubStrategy strategy = run.push() == null ? HubStrategy.END : run.push().strategy();
      try (TensorBoardLog board = run.reportTo() == ReportTo.TENSORBOARD
          ? TensorBoardLog.open(outputPath, conf, state.globalStep(), tensorBoardTexts(modelDir))
          : null) {
        if (board != null) {
          out.println("tensorboard: " + board.runDirectory());
        }
        trainer.run(state, new Trainer.Listener() {
          @Override
          public void onStep(TrainingHistory.StepLog step, TrainStep.Result result) {
            progress.onStep(step, result);
            if (board != null) {
              board.onStep(step, result);
            }
          }

          @Override
          public void onEval(TrainingHistory.EvalLog eval) {
            progress.onEval(eval);
            if (board != null) {
              board.onEval(eval);
            }
          }

          @Override
          public void onCheckpoint(TrainingState at) throws IOException {
            if (board != null) {
              board.onCheckpoint(at);
            }
            Path written = checkpoints.write(network, tokenizerDir, at, settings, blocks, trainer.stepsPerEpoch());
            progress.clearBar();
            out.println("checkpoint: " + written);
            if (push != null && strategy != HubStrategy.END) {
              pushCheckpoint(written, strategy, ModelCard.render(card, settings, at.schedule(), at.history()),
                  at.globalStep());
            }
          }
        });
      }
      lock.check(); // never write the result over a run that took this output over
      TrainOutput.write(outputPath, conf, network, tokenizerDir, state, settings, blocks, trainer.stepsPerEpoch(),
          card);
      ConsoleProgress.printSummary(out, state.history(), settings.evalEvery() == 0);
      out.println("model: " + outputPath);
    }
    pushFinal(outputPath);
    return outputPath;
  }

  /** What the model card says besides the recipe and the history. */
  private ModelCard.Facts cardFacts(SparkSession spark, PreprocessedData dataset) throws IOException {
    String name = run.modelName() != null ? run.modelName()
        : push != null ? push.modelName() : new Path(run.output()).getName();
    boolean local = new Path(run.model()).getFileSystem(conf).exists(new Path(run.model()));
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("mlm-spark", Version.VERSION);
    versions.put("DJL", Engine.getDjlVersion());
    versions.put("PyTorch (libtorch)", Engine.getEngine("PyTorch").getVersion());
    versions.put("Spark", spark.version());
    return new ModelCard.Facts(name, !local && HubClient.isRepoId(run.model()) ? run.model() : null,
        ModelCard.Data.fromManifest(dataset.manifest()), run.workers(), versions);
  }

  /** A checkpoint push that fails is a warning: the run goes on, and the end pushes the final model. */
  private void pushCheckpoint(Path checkpoint, HubStrategy strategy, String card, long step) {
    try {
      HubUploader.Commit commit = push.push(checkpoint, conf, card.getBytes(StandardCharsets.UTF_8),
          strategy == HubStrategy.CHECKPOINT ? checkpoint : null, "Training in progress, step " + step);
      out.println("pushed step " + step + " to " + push.repoId() + " (commit " + commit.oid() + ")");
    } catch (IOException e) {
      System.err.println("warning: push of step " + step + " to the Hub failed: " + e.getMessage()
          + "; training goes on");
    }
  }

  private void pushFinal(Path outputPath) {
    if (push == null) {
      return;
    }
    try {
      HubUploader.Commit commit = push.push(outputPath, conf, null, null, "End of training");
      out.println("pushed to the Hub: " + commit.url());
    } catch (IOException e) {
      throw new UserError("push to the Hub failed: " + e.getMessage() + ". The trained model is complete in "
          + run.output() + "; it was not committed to " + push.repoId(), UserError.FAILED, e);
    }
  }

  /**
   * N ranks as one Spark barrier stage: every rank loads the model from the same directory, the blocks travel as
   * a broadcast, rank 0 writes checkpoints and the output. Paths are qualified here so that executors do not
   * resolve them against their own working directories; on a cluster they must be on storage every executor
   * reaches (HDFS, S3A, a shared mount).
   */
  private void trainDataParallel(SparkSession spark, PreprocessedData dataset, ModelDirectory modelDir,
      ModelDirectory tokenizerDir, SpecialTokens tokens, Path outputPath, Path resumeFrom) throws IOException {
    TrainingSettings settings = run.recipe();
    int workers = run.workers();
    BatchPlan plan = settings.plan(workers);
    int trainBlocks = dataset.train().size();
    out.printf("%d data-parallel workers x batch %d = %d samples per micro-batch, %d steps (%d per epoch)%s%n",
        workers, settings.batchSize(), plan.globalMicroBatchSize(), settings.schedule(plan, trainBlocks).totalSteps(),
        plan.stepsPerEpoch(trainBlocks), resumeFrom == null ? "" : ", resuming from " + resumeFrom);
    Broadcast<TrainRank.Blocks> blocks = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new TrainRank.Blocks(dataset.train(), dataset.test()));
    try {
      TrainRank rank = new TrainRank(blocks, tokens, settings, run.compute(), modelDir.root().toString(),
          tokenizerDir.root().toString(), qualified(outputPath).toString(),
          resumeFrom == null ? null : qualified(resumeFrom).toString(), run.keepCheckpoints(), run.logEvery(), conf,
          run.reportTo() == ReportTo.TENSORBOARD ? tensorBoardTexts(modelDir) : null, afterStep, card);
      List<TrainRank.Result> results = DataParallel.run(spark, DataParallelSettings.of(workers, "train")
          .withCollectiveTimeout(run.collectiveTimeout()), rank);
      TrainRank.Result first = results.get(0);
      if (first.attempt() > 0) {
        out.printf("recovered: stage attempt %d resumed every rank at step %d%n", first.attempt(),
            first.startStep());
      }
    } finally {
      blocks.destroy();
    }
    FileSystem fs = outputPath.getFileSystem(conf);
    try (InputStream in = fs.open(new Path(outputPath, TrainerStateFile.NAME))) {
      TrainingHistory history =
          TrainerStateFile.read(in.readAllBytes(), settings, trainBlocks, outputPath.toString()).history();
      ConsoleProgress.printSummary(out, history, settings.evalEvery() == 0);
    }
    out.println("model: " + outputPath);
  }

  /**
   * The hyperparameters as HF's TensorBoardCallback records them: {@code args} (the run's settings as JSON) and
   * {@code model_config} (the model's config.json).
   */
  private LinkedHashMap<String, String> tensorBoardTexts(ModelDirectory modelDir) throws IOException {
    ObjectNode args = Json.mapper().createObjectNode();
    args.put("data", run.data());
    args.put("model", run.model());
    args.put("output_dir", run.output());
    args.put("workers", run.workers());
    args.setAll((ObjectNode) Json.mapper().valueToTree(run.recipe()));
    LinkedHashMap<String, String> texts = new LinkedHashMap<>();
    texts.put("args", Json.pretty().writeValueAsString(args));
    texts.put("model_config", new String(modelDir.read("config.json"), StandardCharsets.UTF_8));
    return texts;
  }

  private Path qualified(Path path) throws IOException {
    return path.getFileSystem(conf).makeQualified(path);
  }

  /** The guide's masking: the tokenizer's special tokens with pad = eos, random ids within the model's vocab. */
  public static SpecialTokens specialTokens(ModelDirectory dir, ModelConfig config) throws IOException {
    SpecialTokens tokens;
    try {
      tokens = dir.specialTokens().withPadAsEos();
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException(e.getMessage() + "; the masking needs the tokenizer's special tokens: pass"
          + " --tokenizer DIR");
    }
    if (tokens.vocabSize() > config.vocabSize()) {
      throw new IllegalArgumentException("the tokenizer in " + dir + " has " + tokens.vocabSize()
          + " ids but the model only " + config.vocabSize() + " embeddings");
    }
    return tokens;
  }

  /**
   * The checkpoint to continue from, or null to start at step 0. A fresh run needs an output that is empty or
   * holds only what a run stopped before its first checkpoint left (removed here); resuming without a given
   * checkpoint continues from the newest complete one, or starts at step 0 when there is none yet. An output with
   * files no training run writes is never touched.
   */
  private Path resumePoint(Path outputPath, TrainCheckpoints checkpoints) throws IOException {
    String output = run.output();
    FileSystem fs = outputPath.getFileSystem(conf);
    if (fs.exists(outputPath) && !fs.getFileStatus(outputPath).isDirectory()) {
      throw new IllegalArgumentException("--output " + output + " is a file, not a directory");
    }
    List<String> foreign = TrainOutput.foreignEntries(outputPath, conf);
    if (!foreign.isEmpty()) {
      throw new IllegalArgumentException(output + " holds " + String.join(", ", foreign) + ", which bin/train"
          + " did not write: choose another --output");
    }
    for (Path removed : TrainOutput.removeLeftovers(outputPath, conf)) {
      out.println("removed " + removed + ", left unfinished by a run that was stopped");
    }
    String given = run.resume().checkpoint();
    if (given != null) {
      Path path = new Path(given);
      if (TrainCheckpoints.isComplete(path, conf)) {
        return path;
      }
      return new TrainCheckpoints(path, conf, run.keepCheckpoints()).latest().orElseThrow(() ->
          new IllegalArgumentException("--resume " + given + " is neither a complete checkpoint nor holds one"));
    }
    Optional<Path> latest = checkpoints.latest();
    boolean finished = TrainOutput.isFinished(outputPath, conf);
    if (!run.resume().requested()) {
      if (latest.isPresent() || finished) {
        throw new IllegalArgumentException(output + " holds " + (latest.isPresent() ? "the checkpoint "
            + latest.get().getName() + " of an earlier run" : "a finished run") + ": pass --resume to continue"
            + " it, or choose another --output");
      }
    } else if (latest.isPresent()) {
      return latest.get();
    } else if (finished) {
      throw new IllegalArgumentException("--resume: " + output + " holds a finished run and no checkpoint to"
          + " continue from");
    } else {
      out.println("--resume: no complete checkpoint in " + checkpoints.directory() + " yet: starting at step 0");
    }
    if (fs.exists(outputPath) && fs.listStatus(outputPath).length > 0) {
      fs.delete(outputPath, true); // only a stopped run's unfinished files, checked above
    }
    return null;
  }

  /**
   * Refuses data made with another tokenizer than the model's: its ids would name other tokens. The manifest
   * records what the tokenizer encodes ({@link TokenizerFingerprint}), so the hub's file, an HF-cache copy and the
   * bundled copy all pass, and any real difference is refused. Data whose manifest names no tokenizer (made by
   * other tools) cannot be checked.
   */
  public static void requireDataTokenizer(JsonNode manifest, String data, ModelDirectory tokenizerDir) throws IOException {
    String used = manifest.path("tokenizer").path("fingerprint").asText("");
    String ours = TokenizerResolver.fingerprint(tokenizerDir.read(TokenizerFiles.TOKENIZER),
        tokenizerDir + "/" + TokenizerFiles.TOKENIZER);
    if (!used.isEmpty() && !used.equals(ours)) {
      String dataTokenizer = manifest.path("tokenizer").path("id").asText("?");
      throw new IllegalArgumentException(String.format("%s was tokenized with %s (fingerprint %s), but the model's"
          + " tokenizer in %s encodes differently (fingerprint %s); preprocess again with --tokenizer %s",
          data, dataTokenizer, abbreviated(used), tokenizerDir, abbreviated(ours), tokenizerDir));
    }
  }

  private static String abbreviated(String fingerprint) {
    return fingerprint.substring(0, Math.min(12, fingerprint.length()));
  }
}
