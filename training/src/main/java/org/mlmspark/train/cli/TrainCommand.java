package org.mlmspark.train.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.mlmspark.cli.Cli;
import org.mlmspark.hub.HubSettings;
import org.mlmspark.train.Compute;
import org.mlmspark.train.ReportTo;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.hub.HubStrategy;
import org.mlmspark.train.job.TrainRun;
import org.mlmspark.train.job.Training;
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

  /** Hub settings from the environment (HF_ENDPOINT, HF_TOKEN, ...), as bin/train runs. */
  public TrainCommand() {
    this(null);
  }

  /** With these hub settings instead of the environment's. */
  public TrainCommand(HubSettings hubSettings) {
    this.hubSettings = hubSettings;
  }

  /** The parsed flags as a run; rejects values no run could use. */
  public TrainRun run() {
    if (bf16) {
      throw new IllegalArgumentException(Compute.BF16_UNAVAILABLE);
    }
    TrainingSettings recipe = new TrainingSettings(epochs, learningRate, weightDecay, batchSize, mlmProbability,
        seed, warmupSteps, warmupRatio, maxGradNorm, accumulation, maxSteps, TrainingSettings.parseEvalEvery(evalEvery),
        checkpointEvery, wholeWordMask);
    TrainRun.Resume from = resume == null ? TrainRun.Resume.FRESH
        : resume.isEmpty() ? TrainRun.Resume.LATEST : TrainRun.Resume.from(resume);
    return new TrainRun(data, model, tokenizer, output, recipe, from, new Compute(device, tf32), workers,
        Duration.ofSeconds(collectiveTimeoutSeconds), keepCheckpoints, logEvery, reportTo, hubPush(), modelName);
  }

  /** The push, or null without --push-to-hub; rejects hub flags that would do nothing. */
  private TrainRun.HubPush hubPush() {
    HubStrategy strategy = HubStrategy.parse(hubStrategy);
    if (!pushToHub) {
      if (hubModelId != null || hubPrivateRepo || strategy != HubStrategy.END) {
        throw new IllegalArgumentException("--hub-model-id, --hub-private-repo and --hub-strategy need"
            + " --push-to-hub");
      }
      return null;
    }
    return new TrainRun.HubPush(hubModelId, hubPrivateRepo, strategy, hubSettings);
  }

  @Override
  public Integer call() throws Exception {
    Training.run(run());
    return Cli.OK;
  }

  /** Names the checkpoint a {@code --resume} run continues from: what the interrupted run kept. */
  @Override
  public String interruptedLine() {
    return output == null ? "interrupted" : Training.interruptedLine(output, keepCheckpoints);
  }

  public static void main(String[] args) {
    Cli.exit(new TrainCommand(), args);
  }
}
