package org.mlmspark.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.Version;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.UserError;
import org.mlmspark.hub.HubClient;
import org.mlmspark.hub.HubException;
import org.mlmspark.hub.HubSettings;
import org.mlmspark.hub.HubUploader;
import org.mlmspark.spark.Sessions;
import org.mlmspark.storage.ObjectStoreProbe;
import org.mlmspark.storage.OutputLock;
import org.mlmspark.distributed.DataParallel;
import org.mlmspark.distributed.DataParallelSettings;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelConfig;
import org.mlmspark.model.ModelFamily;
import org.mlmspark.model.cli.HadoopConf;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.tokenizer.TokenizerFiles;
import org.mlmspark.tokenizer.TokenizerFingerprint;
import org.mlmspark.tokenizer.TokenizerResolver;
import org.mlmspark.train.data.BatchPlan;
import org.mlmspark.train.data.SpecialTokens;
import org.mlmspark.train.distributed.TrainRank;
import org.mlmspark.train.hub.HubStrategy;
import org.mlmspark.train.hub.ModelPush;
import org.mlmspark.train.io.PreprocessedData;
import org.mlmspark.train.io.TensorBoardLog;
import org.mlmspark.train.io.TrainCheckpoints;
import org.mlmspark.train.io.TrainOutput;
import org.mlmspark.train.io.TrainerStateFile;
import org.mlmspark.train.report.ModelCard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/train}: fine-tunes a masked LM on bin/preprocess output with the guide's recipe, on one or N workers. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Fine-tunes a masked-language model on preprocessed blocks (HF Trainer's recipe and outputs).")
public final class TrainCommand implements Callable<Integer>, Cli.Interruptible {
  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "bin/preprocess output (train/, test/, manifest.json); local or s3a://")
  String data;

  @Option(names = "--model", required = true, paramLabel = "ID|DIR",
      description = "HF model directory (config.json, model.safetensors), e.g. from bin/init-model")
  String model;

  @Option(names = "--tokenizer", paramLabel = "DIR",
      description = "tokenizer files (tokenizer.json, tokenizer_config.json) if not in the model directory")
  String tokenizer;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "where the trained model goes")
  String output;

  @Option(names = "--epochs", defaultValue = "3", description = "default: ${DEFAULT-VALUE}") double epochs;

  @Option(names = "--learning-rate", defaultValue = "2e-5", description = "peak lr (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Option(names = "--weight-decay", defaultValue = "0.01", description = "default: ${DEFAULT-VALUE}")
  double weightDecay;

  @Option(names = "--batch-size", defaultValue = "8", description = "per worker (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--mlm-probability", defaultValue = "0.15", description = "default: ${DEFAULT-VALUE}")
  double mlmProbability;

  @Option(names = "--whole-word-mask", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
      defaultValue = "false", description = "mask whole words as transformers' whole_word_mask=True does; needs"
          + " data preprocessed with --word-starts (default: ${DEFAULT-VALUE})")
  boolean wholeWordMask;

  @Option(names = "--seed", defaultValue = "42", description = "data order, masks, dropout (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--warmup-steps", defaultValue = "0", description = "linear warmup steps (wins over the ratio)")
  long warmupSteps;

  @Option(names = "--warmup-ratio", defaultValue = "0", description = "warmup as a fraction of the run")
  double warmupRatio;

  @Option(names = "--max-grad-norm", defaultValue = "1.0", description = "default: ${DEFAULT-VALUE}")
  double maxGradNorm;

  @Option(names = "--gradient-accumulation-steps", defaultValue = "1", description = "default: ${DEFAULT-VALUE}")
  int accumulation;

  @Option(names = "--max-steps", defaultValue = "0", description = "stop after N optimizer steps (overrides --epochs)")
  long maxSteps;

  @Option(names = "--eval-every", defaultValue = "epoch", paramLabel = "epoch|N",
      description = "evaluate at every epoch's end or every N steps (default: ${DEFAULT-VALUE})")
  String evalEvery;

  @Option(names = "--checkpoint-every", defaultValue = "500", paramLabel = "N",
      description = "checkpoint every N steps into OUTPUT/checkpoints, 0 = never (default: ${DEFAULT-VALUE})")
  long checkpointEvery;

  @Option(names = "--keep-checkpoints", defaultValue = "2", description = "newest checkpoints kept (default: ${DEFAULT-VALUE})")
  int keepCheckpoints;

  @Option(names = "--resume", arity = "0..1", fallbackValue = "", paramLabel = "DIR",
      description = "continue from a checkpoint (default: the newest in OUTPUT/checkpoints)")
  String resume;

  @Option(names = "--device", defaultValue = "auto",
      description = "auto, cpu or gpu; with --workers, for every rank (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--bf16", paramLabel = "true|false", arity = "0..1", fallbackValue = "true", defaultValue = "false",
      description = "HF's bf16: not available through DJL 0.36 (refused with the reason)")
  boolean bf16;

  @Option(names = "--tf32", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
      defaultValue = "false", description = "TF32 matrix products on Ampere+ GPUs (HF's tf32; the launcher sets "
      + Compute.TF32_VARIABLE + "=1)")
  boolean tf32;

  @Option(names = "--workers", defaultValue = "1", paramLabel = "N",
      description = "data-parallel workers, one Spark task each; 1 trains in this JVM (default: ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--collective-timeout", defaultValue = "1800", paramLabel = "SECONDS",
      description = "with --workers > 1: how long a rank waits for the others (they wait while rank 0 evaluates"
          + " and checkpoints) before failing (default: ${DEFAULT-VALUE})")
  long collectiveTimeoutSeconds;

  /**
   * Tests of recovery only: rank RANK fails after step STEP in the stage's first attempt, throwing, or with
   * {@code :halt} halting its executor JVM.
   */
  @Option(names = "--inject-failure", hidden = true, paramLabel = "RANK:STEP[:halt]")
  String injectFailure;

  @Option(names = "--log-every", defaultValue = "10", paramLabel = "N", description = "progress line every N steps")
  int logEvery;

  @Option(names = "--report-to", defaultValue = "none", paramLabel = "tensorboard|none",
      description = "tensorboard: event files under OUTPUT/runs/ as HF Trainer writes them (default: ${DEFAULT-VALUE})")
  ReportTo reportTo;

  @Option(names = "--push-to-hub",
      description = "push the model, its tokenizer and model card to the Hugging Face Hub (HF_TOKEN, HF_ENDPOINT)")
  boolean pushToHub;

  @Option(names = "--hub-model-id", paramLabel = "USER/NAME",
      description = "the Hub repository (default: the output directory's name; a NAME goes under the token's"
          + " account)")
  String hubModelId;

  @Option(names = "--hub-private-repo", description = "create the repository private (an existing one keeps its"
      + " visibility)")
  boolean hubPrivateRepo;

  @Option(names = "--hub-strategy", defaultValue = "end", paramLabel = "end|every_save|checkpoint",
      description = "end: push once trained; every_save: also at each checkpoint; checkpoint: also the whole"
          + " checkpoint under last-checkpoint/ (default: ${DEFAULT-VALUE})")
  String hubStrategy;

  /** The model's name in its card; bin/pipeline names it after its hub repository or its output. */
  @Option(names = "--model-name", hidden = true, paramLabel = "NAME")
  String modelName;

  private final HubSettings hubSettings;
  /** Set by {@link #call()}: where the run pushes (null: nowhere), and what its model card says. */
  private ModelPush push;
  private ModelCard.Facts card;

  /** Hub settings from the environment (HF_ENDPOINT, HF_TOKEN, ...), as bin/train runs. */
  public TrainCommand() {
    this(null);
  }

  /** With these hub settings instead of the environment's. */
  public TrainCommand(HubSettings hubSettings) {
    this.hubSettings = hubSettings;
  }

  /** The parsed flags as a recipe; rejects values no run could use (bin/pipeline checks its config with it). */
  public TrainingSettings settings() {
    TrainingSettings settings = new TrainingSettings(epochs, learningRate, weightDecay, batchSize, mlmProbability,
        seed, warmupSteps, warmupRatio, maxGradNorm, accumulation, maxSteps, parseEvalEvery(), checkpointEvery,
        wholeWordMask);
    if (logEvery < 1 || keepCheckpoints < 1 || workers < 1) {
      throw new IllegalArgumentException("--log-every, --keep-checkpoints and --workers must be >= 1");
    }
    return settings;
  }

  /** The push strategy, or null without --push-to-hub; rejects hub flags that would do nothing. */
  HubStrategy hubStrategy() {
    HubStrategy strategy = HubStrategy.parse(hubStrategy);
    if (!pushToHub) {
      if (hubModelId != null || hubPrivateRepo || strategy != HubStrategy.END) {
        throw new IllegalArgumentException("--hub-model-id, --hub-private-repo and --hub-strategy need"
            + " --push-to-hub");
      }
      return null;
    }
    if (strategy != HubStrategy.END && workers > 1) {
      throw new IllegalArgumentException("--hub-strategy " + strategy + " needs --workers 1 (the checkpoints of"
          + " data-parallel runs are written on an executor); use --hub-strategy end");
    }
    return strategy;
  }

  /**
   * Holds the output's lock for the whole run: a second {@code bin/train} on the same output exits 3 naming this
   * one, and only the holder cleans up what a killed run left there.
   */
  @Override
  public Integer call() throws Exception {
    TrainingSettings settings = settings();
    if (bf16) {
      throw new IllegalArgumentException(Compute.BF16_UNAVAILABLE);
    }
    Compute compute = new Compute(device, tf32);
    HubStrategy strategy = hubStrategy();
    Configuration conf = HadoopConf.fromSystemProperties();
    ObjectStoreProbe.requireReachable(Arrays.asList(data, model, tokenizer, output), conf);
    try (OutputLock lock = OutputLock.forOutput(new Path(output), conf)) {
      return run(settings, compute, strategy, conf, lock);
    }
  }

  private int run(TrainingSettings settings, Compute compute, HubStrategy strategy, Configuration conf,
      OutputLock lock) throws Exception {
    ModelDirectory modelDir = ModelDirectory.resolve(model, conf);
    ModelDirectory tokenizerDir = tokenizer == null ? modelDir : ModelDirectory.resolve(tokenizer, conf);
    ModelConfig config = Checkpoints.readConfig(modelDir);
    ModelFamily family = ModelFamily.of(config);
    SpecialTokens tokens = specialTokens(tokenizerDir, config);
    Path outputPath = new Path(output);
    TrainCheckpoints checkpoints =
        new TrainCheckpoints(new Path(outputPath, TrainOutput.CHECKPOINTS), conf, keepCheckpoints);
    PrintStream out = System.out;
    Path resumeFrom = resumePoint(outputPath, checkpoints, conf, out);
    // Everything checkable without Spark and libtorch is checked before they start: a mistake costs seconds.
    requireDataTokenizer(PreprocessedData.readManifest(data, conf), data, tokenizerDir);
    DeviceChoice.checkRequestable(device);
    if (workers > 1) {
      LocalSlots.check(workers, System.getProperty("spark.master", "local[*]"),
          Integer.getInteger("spark.task.cpus", 1), Runtime.getRuntime().availableProcessors());
    }

    PreprocessedData.Limits limits = new PreprocessedData.Limits(config.vocabSize(), family.maxSequenceLength(config));
    boolean running = SparkSession.getDefaultSession().isDefined();
    SparkSession spark = Sessions.getOrCreate("train");
    PreprocessedData dataset;
    try {
      dataset = PreprocessedData.load(spark, data, limits);
      if (wholeWordMask && !(dataset.train().hasWordStarts()
          && (dataset.test() == null || dataset.test().hasWordStarts()))) {
        throw new IllegalArgumentException("--whole-word-mask needs the word starts of every token, and " + data
            + " has none: preprocess it again with --word-starts");
      }
      out.printf("data: %,d training blocks (%,d tokens), %s%n", dataset.train().size(),
          dataset.train().tokenCount(), dataset.test() == null ? "no test split: evaluation skipped"
              : String.format("%,d test blocks", dataset.test().size()));
      if (strategy != null) {
        try {
          push = ModelPush.prepare(new HubUploader(hub()), hubModelId, new Path(output).getName(), hubPrivateRepo);
        } catch (HubException e) { // no token, no access, no such account: found before any training
          throw new UserError(e.getMessage(), UserError.USAGE, e);
        }
        out.println("pushing to the Hub: " + push.repoId() + " (hub strategy " + strategy + ")");
      }
      card = cardFacts(spark, dataset, conf);
      if (workers > 1) {
        trainDataParallel(spark, dataset, settings, compute, conf, modelDir, tokenizerDir, tokens, outputPath,
            resumeFrom, out);
        pushFinal(outputPath, conf, out);
        return 0;
      }
    } finally {
      if (!running) {
        spark.stop(); // one worker trains in this JVM: free the cores Spark held for reading
      }
    }

    compute.requireTf32Environment();
    DeviceChoice.Decision decision = DeviceChoice.decide(compute.device(), DeviceChoice.EngineDevices.probe());
    Device target = decision.device();
    out.printf("device: %s; %s%n", decision, compute.precision());
    try (NDManager manager = NDManager.newBaseManager(target)) {
      MaskedLmModel network = Checkpoints.load(modelDir, manager).model();
      Trainer trainer = new Trainer(network, manager, dataset.train(), dataset.test(), tokens, settings, 0, 1,
          GradientReducer.SINGLE_WORKER, logEvery);
      int blocks = dataset.train().size();
      TrainingState state = resumeFrom == null ? trainer.newState()
          : TrainCheckpoints.restore(resumeFrom, conf, network, manager, settings, blocks);
      out.printf("%s on %s: %d steps (%d per epoch), batch %d x %d accumulation, lr %.2e, warmup %d%s%n",
          config.modelType(), target, state.schedule().totalSteps(), trainer.stepsPerEpoch(), batchSize,
          accumulation, state.schedule().peakLearningRate(), state.schedule().warmupSteps(),
          resumeFrom == null ? "" : ", resuming at step " + state.globalStep() + " from " + resumeFrom);

      ConsoleProgress progress = new ConsoleProgress(out, logEvery, state.globalStep(),
          state.schedule().totalSteps());
      try (TensorBoardLog board = reportTo == ReportTo.TENSORBOARD
          ? TensorBoardLog.open(outputPath, conf, state.globalStep(), tensorBoardTexts(settings, modelDir))
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
            out.println("checkpoint: " + written);
            if (push != null && strategy != HubStrategy.END) {
              pushCheckpoint(push, written, conf, strategy, ModelCard.render(card, settings, at.schedule(),
                  at.history()), at.globalStep(), out);
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
    pushFinal(outputPath, conf, out);
    return 0;
  }

  /** What the model card says besides the recipe and the history. */
  private ModelCard.Facts cardFacts(SparkSession spark, PreprocessedData dataset, Configuration conf)
      throws IOException {
    String name = modelName != null ? modelName : push != null ? push.modelName() : new Path(output).getName();
    boolean local = new Path(model).getFileSystem(conf).exists(new Path(model));
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("mlm-spark", Version.VERSION);
    versions.put("DJL", Engine.getDjlVersion());
    versions.put("PyTorch (libtorch)", Engine.getEngine("PyTorch").getVersion());
    versions.put("Spark", spark.version());
    return new ModelCard.Facts(name, !local && HubClient.isRepoId(model) ? model : null,
        ModelCard.Data.fromManifest(dataset.manifest()), workers, versions);
  }

  /** A checkpoint push that fails is a warning: the run goes on, and the end pushes the final model. */
  private static void pushCheckpoint(ModelPush push, Path checkpoint, Configuration conf, HubStrategy strategy,
      String card, long step, PrintStream out) {
    try {
      HubUploader.Commit commit = push.push(checkpoint, conf, card.getBytes(StandardCharsets.UTF_8),
          strategy == HubStrategy.CHECKPOINT ? checkpoint : null, "Training in progress, step " + step);
      out.println("pushed step " + step + " to " + push.repoId() + " (commit " + commit.oid() + ")");
    } catch (IOException e) {
      System.err.println("warning: push of step " + step + " to the Hub failed: " + e.getMessage()
          + "; training goes on");
    }
  }

  private void pushFinal(Path outputPath, Configuration conf, PrintStream out) {
    if (push == null) {
      return;
    }
    try {
      HubUploader.Commit commit = push.push(outputPath, conf, null, null, "End of training");
      out.println("pushed to the Hub: " + commit.url());
    } catch (IOException e) {
      throw new UserError("push to the Hub failed: " + e.getMessage() + ". The trained model is complete in "
          + output + "; it was not committed to " + push.repoId(), UserError.FAILED, e);
    }
  }

  private HubSettings hub() {
    return hubSettings != null ? hubSettings : HubSettings.fromEnvironment();
  }

  /**
   * N ranks as one Spark barrier stage: every rank loads the model from the same directory, the blocks travel as
   * a broadcast, rank 0 writes checkpoints and the output. Paths are qualified here so that executors do not
   * resolve them against their own working directories; on a cluster they must be on storage every executor
   * reaches (HDFS, S3A, a shared mount).
   */
  private void trainDataParallel(SparkSession spark, PreprocessedData dataset, TrainingSettings settings,
      Compute compute, Configuration conf, ModelDirectory modelDir, ModelDirectory tokenizerDir, SpecialTokens tokens,
      Path outputPath, Path resumeFrom, PrintStream out) throws IOException {
    if (collectiveTimeoutSeconds < 1) {
      throw new IllegalArgumentException("--collective-timeout must be >= 1 second");
    }
    BatchPlan plan = settings.plan(workers);
    int trainBlocks = dataset.train().size();
    out.printf("%d data-parallel workers x batch %d = %d samples per micro-batch, %d steps (%d per epoch)%s%n",
        workers, batchSize, plan.globalMicroBatchSize(), settings.schedule(plan, trainBlocks).totalSteps(),
        plan.stepsPerEpoch(trainBlocks), resumeFrom == null ? "" : ", resuming from " + resumeFrom);
    Broadcast<TrainRank.Blocks> blocks = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new TrainRank.Blocks(dataset.train(), dataset.test()));
    try {
      TrainRank rank = new TrainRank(blocks, tokens, settings, compute, modelDir.root().toString(),
          tokenizerDir.root().toString(), qualified(outputPath, conf).toString(),
          resumeFrom == null ? null : qualified(resumeFrom, conf).toString(), keepCheckpoints, logEvery, conf,
          reportTo == ReportTo.TENSORBOARD ? tensorBoardTexts(settings, modelDir) : null, injectedFailure(), card);
      List<TrainRank.Result> results = DataParallel.run(spark, DataParallelSettings.of(workers, "train")
          .withCollectiveTimeout(Duration.ofSeconds(collectiveTimeoutSeconds)), rank);
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
  private LinkedHashMap<String, String> tensorBoardTexts(TrainingSettings settings, ModelDirectory modelDir)
      throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode args = json.createObjectNode();
    args.put("data", data);
    args.put("model", model);
    args.put("output_dir", output);
    args.put("workers", workers);
    args.setAll((ObjectNode) json.valueToTree(settings));
    LinkedHashMap<String, String> texts = new LinkedHashMap<>();
    texts.put("args", json.writeValueAsString(args));
    texts.put("model_config", new String(modelDir.read("config.json"), StandardCharsets.UTF_8));
    return texts;
  }

  private static Path qualified(Path path, Configuration conf) throws IOException {
    return path.getFileSystem(conf).makeQualified(path);
  }

  private TrainRank.InjectedFailure injectedFailure() {
    if (injectFailure == null) {
      return null;
    }
    String[] parts = injectFailure.split(":");
    boolean halt = parts.length == 3 && parts[2].equals("halt");
    if (parts.length != 2 && !halt) {
      throw new IllegalArgumentException("--inject-failure must be RANK:STEP or RANK:STEP:halt, got " + injectFailure);
    }
    return new TrainRank.InjectedFailure(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), halt);
  }

  private long parseEvalEvery() {
    if ("epoch".equalsIgnoreCase(evalEvery)) {
      return 0;
    }
    try {
      long steps = Long.parseLong(evalEvery);
      if (steps > 0) {
        return steps;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException("--eval-every must be 'epoch' or a positive step count, got " + evalEvery);
  }

  /** The guide's masking: the tokenizer's special tokens with pad = eos, random ids within the model's vocab. */
  public static SpecialTokens specialTokens(ModelDirectory dir, ModelConfig config) throws IOException {
    if (!dir.has("tokenizer.json") || !dir.has("tokenizer_config.json")) {
      throw new FileNotFoundException(dir + " has no tokenizer.json and tokenizer_config.json: the masking needs"
          + " the tokenizer's special tokens; pass --tokenizer DIR");
    }
    SpecialTokens tokens =
        SpecialTokens.parse(dir.read("tokenizer_config.json"), dir.read("tokenizer.json")).withPadAsEos();
    if (tokens.vocabSize() > config.vocabSize()) {
      throw new IllegalArgumentException("the tokenizer in " + dir + " has " + tokens.vocabSize()
          + " ids but the model only " + config.vocabSize() + " embeddings");
    }
    return tokens;
  }

  /**
   * The checkpoint to continue from, or null to start at step 0. A fresh run needs an output that is empty or
   * holds only what a run stopped before its first checkpoint left (removed here); {@code --resume} without a
   * directory continues from the newest complete checkpoint, or starts at step 0 when there is none yet. An
   * output with files no training run writes is never touched.
   */
  private Path resumePoint(Path outputPath, TrainCheckpoints checkpoints, Configuration conf, PrintStream out)
      throws IOException {
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
    if (resume != null && !resume.isEmpty()) {
      Path given = new Path(resume);
      if (TrainCheckpoints.isComplete(given, conf)) {
        return given;
      }
      return new TrainCheckpoints(given, conf, keepCheckpoints).latest().orElseThrow(() ->
          new IllegalArgumentException("--resume " + resume + " is neither a complete checkpoint nor holds one"));
    }
    Optional<Path> latest = checkpoints.latest();
    boolean finished = TrainOutput.isFinished(outputPath, conf);
    if (resume == null) {
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
  static void requireDataTokenizer(JsonNode manifest, String data, ModelDirectory tokenizerDir) throws IOException {
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

  /** Names the checkpoint a {@code --resume} run continues from: what the interrupted run kept. */
  @Override
  public String interruptedLine() {
    if (output == null) {
      return "interrupted";
    }
    try {
      return new TrainCheckpoints(new Path(output, TrainOutput.CHECKPOINTS), HadoopConf.fromSystemProperties(),
          keepCheckpoints).latest()
          .map(c -> "interrupted: " + output + " left as it was; --resume continues from " + c)
          .orElse("interrupted: " + output + " left as it was; no checkpoint yet, so a new run starts over");
    } catch (IOException e) {
      return "interrupted: " + output + " left as it was";
    }
  }

  public static void main(String[] args) {
    Cli.exit(new TrainCommand(), args);
  }
}
