package org.mlmspark.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.cli.Cli;
import org.mlmspark.spark.Sessions;
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
import org.mlmspark.train.io.PreprocessedData;
import org.mlmspark.train.io.TrainCheckpoints;
import org.mlmspark.train.io.TrainOutput;
import org.mlmspark.train.io.TrainerStateFile;
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

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE})")
  String device;

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

  /** The parsed flags as a recipe; rejects values no run could use (bin/pipeline checks its config with it). */
  public TrainingSettings settings() {
    TrainingSettings settings = new TrainingSettings(epochs, learningRate, weightDecay, batchSize, mlmProbability,
        seed, warmupSteps, warmupRatio, maxGradNorm, accumulation, maxSteps, parseEvalEvery(), checkpointEvery);
    if (logEvery < 1 || keepCheckpoints < 1 || workers < 1) {
      throw new IllegalArgumentException("--log-every, --keep-checkpoints and --workers must be >= 1");
    }
    return settings;
  }

  @Override
  public Integer call() throws Exception {
    TrainingSettings settings = settings();
    Configuration conf = HadoopConf.fromSystemProperties();
    ModelDirectory modelDir = ModelDirectory.resolve(model, conf);
    ModelDirectory tokenizerDir = tokenizer == null ? modelDir : ModelDirectory.resolve(tokenizer, conf);
    ModelConfig config = Checkpoints.readConfig(modelDir);
    ModelFamily family = ModelFamily.of(config);
    SpecialTokens tokens = specialTokens(tokenizerDir, config);
    Path outputPath = new Path(output);
    TrainCheckpoints checkpoints =
        new TrainCheckpoints(new Path(outputPath, TrainOutput.CHECKPOINTS), conf, keepCheckpoints);
    Path resumeFrom = resumePoint(outputPath, checkpoints, conf);
    // Everything checkable without Spark and libtorch is checked before they start: a mistake costs seconds.
    requireDataTokenizer(PreprocessedData.readManifest(data, conf), data, tokenizerDir);
    DeviceChoice.checkRequestable(device);
    if (workers > 1) {
      LocalSlots.check(workers, System.getProperty("spark.master", "local[*]"),
          Integer.getInteger("spark.task.cpus", 1), Runtime.getRuntime().availableProcessors());
    }

    PrintStream out = System.out;
    PreprocessedData.Limits limits = new PreprocessedData.Limits(config.vocabSize(), family.maxSequenceLength(config));
    boolean running = SparkSession.getDefaultSession().isDefined();
    SparkSession spark = Sessions.getOrCreate("train");
    PreprocessedData dataset;
    try {
      dataset = PreprocessedData.load(spark, data, limits);
      out.printf("data: %,d training blocks (%,d tokens), %s%n", dataset.train().size(),
          dataset.train().tokenCount(), dataset.test() == null ? "no test split: evaluation skipped"
              : String.format("%,d test blocks", dataset.test().size()));
      if (workers > 1) {
        trainDataParallel(spark, dataset, settings, conf, modelDir, tokenizerDir, tokens, outputPath, resumeFrom,
            out);
        return 0;
      }
    } finally {
      if (!running) {
        spark.stop(); // one worker trains in this JVM: free the cores Spark held for reading
      }
    }

    Device target = DeviceChoice.resolve(device);
    try (NDManager manager = NDManager.newBaseManager(target)) {
      MaskedLmModel network = Checkpoints.load(modelDir, manager).model();
      Trainer trainer = new Trainer(network, manager, dataset.train(), dataset.test(), tokens, settings, 0, 1,
          GradientReducer.SINGLE_WORKER);
      int blocks = dataset.train().size();
      TrainingState state = resumeFrom == null ? trainer.newState()
          : TrainCheckpoints.restore(resumeFrom, conf, network, manager, settings, blocks);
      out.printf("%s on %s: %d steps (%d per epoch), batch %d x %d accumulation, lr %.2e, warmup %d%s%n",
          config.modelType(), target, state.schedule().totalSteps(), trainer.stepsPerEpoch(), batchSize,
          accumulation, state.schedule().peakLearningRate(), state.schedule().warmupSteps(),
          resumeFrom == null ? "" : ", resuming at step " + state.globalStep() + " from " + resumeFrom);

      ConsoleProgress progress = new ConsoleProgress(out, logEvery, state.globalStep(),
          state.schedule().totalSteps());
      trainer.run(state, new Trainer.Listener() {
        @Override
        public void onStep(TrainingHistory.StepLog step, TrainStep.Result result) {
          progress.onStep(step, result);
        }

        @Override
        public void onEval(TrainingHistory.EvalLog eval) {
          progress.onEval(eval);
        }

        @Override
        public void onCheckpoint(TrainingState at) throws IOException {
          Path written = checkpoints.write(network, tokenizerDir, at, settings, blocks, trainer.stepsPerEpoch());
          out.println("checkpoint: " + written);
        }
      });
      TrainOutput.write(outputPath, conf, network, tokenizerDir, state, settings, blocks, trainer.stepsPerEpoch());
      ConsoleProgress.printSummary(out, state.history(), settings.evalEvery() == 0);
      out.println("model: " + outputPath);
    }
    return 0;
  }

  /**
   * N ranks as one Spark barrier stage: every rank loads the model from the same directory, the blocks travel as
   * a broadcast, rank 0 writes checkpoints and the output. Paths are qualified here so that executors do not
   * resolve them against their own working directories; on a cluster they must be on storage every executor
   * reaches (HDFS, S3A, a shared mount).
   */
  private void trainDataParallel(SparkSession spark, PreprocessedData dataset, TrainingSettings settings,
      Configuration conf, ModelDirectory modelDir, ModelDirectory tokenizerDir, SpecialTokens tokens,
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
      TrainRank rank = new TrainRank(blocks, tokens, settings, modelDir.root().toString(),
          tokenizerDir.root().toString(), qualified(outputPath, conf).toString(),
          resumeFrom == null ? null : qualified(resumeFrom, conf).toString(), keepCheckpoints, logEvery, conf,
          injectedFailure());
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

  /** The checkpoint to continue from, or null for a fresh run (which needs an empty output directory). */
  private Path resumePoint(Path outputPath, TrainCheckpoints checkpoints, Configuration conf) throws IOException {
    FileSystem fs = outputPath.getFileSystem(conf);
    if (resume == null) {
      if (fs.exists(outputPath) && fs.listStatus(outputPath).length > 0) {
        throw new IllegalArgumentException(output + " is not empty: pass --resume to continue the run it holds,"
            + " or choose another --output");
      }
      return null;
    }
    if (resume.isEmpty()) {
      return checkpoints.latest().orElseThrow(() -> new IllegalArgumentException(
          "--resume: no complete checkpoint in " + checkpoints.directory()));
    }
    Path given = new Path(resume);
    if (TrainCheckpoints.isComplete(given, conf)) {
      return given;
    }
    return new TrainCheckpoints(given, conf, keepCheckpoints).latest().orElseThrow(() ->
        new IllegalArgumentException("--resume " + resume + " is neither a complete checkpoint nor holds one"));
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
