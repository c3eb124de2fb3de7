package org.mlmspark.pipeline.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.mlmspark.cli.UserError;
import org.mlmspark.pipeline.EvaluationGate;
import org.mlmspark.pipeline.PipelineConfig;
import org.mlmspark.preprocess.GroupBy;
import org.mlmspark.preprocess.PreprocessSettings;
import org.mlmspark.support.Hashing;
import org.mlmspark.train.Compute;
import org.mlmspark.train.ReportTo;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.job.TrainRun;

/**
 * The settings of {@code bin/pipeline}: a properties file whose keys are the steps' flags ({@code preprocess.input},
 * {@code train.epochs}, ...) plus the pipeline's own ({@code pipeline.output}, ...), overridden by the same keys
 * given as flags ({@code --train.epochs 1}). Every flag of {@code bin/preprocess} and {@code bin/train} has a key,
 * except those the pipeline sets (where data and models go, resuming) and the hub flags (the publish step pushes).
 * {@link #config()} maps the keys onto the steps' settings records, starting from the same defaults as the
 * commands ({@link PreprocessSettings#guide}, {@link TrainRun#of}); the records check the values.
 */
public final class PipelineSettings {
  public static final String OUTPUT = "pipeline.output";
  public static final String LOCK_STALE_AFTER = "pipeline.lock-stale-after";
  public static final String MAX_PERPLEXITY_INCREASE = "publish.max-perplexity-increase";
  public static final String HUB_MODEL_ID = "publish.hub-model-id";
  public static final String HUB_PRIVATE_REPO = "publish.hub-private-repo";
  public static final String PREPROCESS = "preprocess";
  public static final String TRAIN = "train";

  /** Flags of the steps that the pipeline itself sets. */
  private static final Map<String, Set<String>> PIPELINE_OWNED = Map.of(
      PREPROCESS, Set.of("--output"),
      TRAIN, Set.of("--data", "--output", "--resume"));
  /** Train flags whose job the publish step does: it pushes the published model, after the evaluation gate. */
  private static final Set<String> PUSH_FLAGS =
      Set.of("--push-to-hub", "--hub-model-id", "--hub-private-repo", "--hub-strategy");
  /** Settings that change how a run goes but not what it produces: changing them does not call for a new run. */
  private static final Set<String> OPERATIONAL = Set.of(OUTPUT, LOCK_STALE_AFTER, "train.log-every",
      "train.checkpoint-every", "train.keep-checkpoints", "train.collective-timeout", "train.device",
      "train.report-to");
  private static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(10);
  /** Where the pipeline puts a run's data and model: chosen per run ({@link PipelineConfig}). */
  private static final String PER_RUN = "(per run)";

  /**
   * One settable key.
   *
   * @param multiValued takes several values (whitespace-separated in the file)
   */
  public record Setting(String key, boolean multiValued, boolean required, String paramLabel,
      String description) {
    public String step() {
      return key.substring(0, key.indexOf('.'));
    }
  }

  private static final List<Setting> SETTINGS = buildSettings();

  private final Map<String, List<String>> values;

  private PipelineSettings(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Every key, in help order: the pipeline's own, then preprocess's, then train's. */
  public static List<Setting> all() {
    return SETTINGS;
  }

  /**
   * Merges the file (may be empty) and the command-line values, checks every key is known and the required ones
   * are set, and checks the steps accept the values, so that a bad config fails before anything runs.
   *
   * @param source names the file in messages
   * @throws UserError for anything wrong, naming the key
   */
  public static PipelineSettings of(Properties file, String source, Map<String, List<String>> overrides) {
    Map<String, Setting> byKey = SETTINGS.stream().collect(Collectors.toMap(Setting::key, s -> s));
    Map<String, List<String>> values = new TreeMap<>();
    for (String key : file.stringPropertyNames()) {
      Setting setting = byKey.get(key);
      if (setting == null) {
        throw unknown(key, " in " + source);
      }
      String raw = file.getProperty(key).trim();
      if (!raw.isEmpty()) { // "key =" in a template means unset
        values.put(key, setting.multiValued() ? List.of(raw.split("\\s+")) : List.of(raw));
      }
    }
    overrides.forEach((key, list) -> {
      if (!byKey.containsKey(key)) {
        throw unknown(key, "");
      }
      values.put(key, List.copyOf(list));
    });
    PipelineSettings settings = new PipelineSettings(values);
    settings.validate();
    return settings;
  }

  public Optional<String> value(String key) {
    List<String> list = values.get(key);
    return list == null ? Optional.empty() : Optional.of(String.join(" ", list));
  }

  public String output() {
    return value(OUTPUT).orElseThrow();
  }

  public Duration lockStaleAfter() {
    return value(LOCK_STALE_AFTER).map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(DEFAULT_STALE_AFTER);
  }

  /** The Hub repository the published model is pushed to, if any. */
  public Optional<String> hubModelId() {
    return value(HUB_MODEL_ID);
  }

  public boolean hubPrivateRepo() {
    return value(HUB_PRIVATE_REPO).map(Boolean::parseBoolean).orElse(false);
  }

  /** The model's name in its card: the Hub repository's name, else the output directory's. */
  public String modelName() {
    return hubModelId().map(id -> id.substring(id.indexOf('/') + 1)).orElse(new org.apache.hadoop.fs.Path(output())
        .getName());
  }

  public EvaluationGate gate() {
    return new EvaluationGate(value(MAX_PERPLEXITY_INCREASE).map(Double::valueOf).orElse(null));
  }

  /** The steps' typed settings; data and model locations are placeholders the pipeline replaces per run. */
  public PipelineConfig config() {
    return new PipelineConfig(output(), lockStaleAfter(), gate(), hubModelId().orElse(null), hubPrivateRepo(),
        preprocessSettings(), trainRun(), dataSettingsHash(), runSettingsHash(), toProperties());
  }

  private PreprocessSettings preprocessSettings() {
    String step = PREPROCESS;
    PreprocessSettings guide = PreprocessSettings.guide(List.of(PER_RUN), PER_RUN, PreprocessSettings.GUIDE_TOKENIZER);
    return checked(step, () -> new PreprocessSettings(
        values.get(step + ".input"),
        PER_RUN,
        text(step + ".tokenizer").orElse(guide.tokenizer()),
        number(step + ".limit", Long::valueOf).orElse(guide.limit()),
        text(step + ".subreddit").orElse(guide.subreddit()),
        number(step + ".test-size", Double::valueOf).orElse(guide.testSize()),
        number(step + ".seed", Long::valueOf).orElse(guide.seed()),
        number(step + ".block-size", Integer::valueOf).orElse(guide.blockSize()),
        number(step + ".shards", Integer::valueOf).orElse(guide.shards()),
        text(step + ".schema").orElse(guide.schema()),
        choice(step + ".group-by", GroupBy.class).orElse(guide.groupBy()),
        number(step + ".batch-rows", Integer::valueOf).orElse(guide.batchRows()),
        number(step + ".max-reject-fraction", Double::valueOf).orElse(guide.maxRejectFraction()),
        number(step + ".max-text-chars", Integer::valueOf).orElse(guide.maxTextChars()),
        bool(step + ".word-starts").orElse(guide.wordStarts())));
  }

  private TrainRun trainRun() {
    String step = TRAIN;
    TrainingSettings guide = TrainingSettings.guide();
    TrainRun defaults = TrainRun.of(PER_RUN, PER_RUN, PER_RUN, guide);
    if (bool(step + ".bf16").orElse(false)) {
      throw new UserError("invalid train setting: " + Compute.BF16_UNAVAILABLE);
    }
    return checked(step, () -> new TrainRun(
        PER_RUN,
        text(step + ".model").orElseThrow(),
        text(step + ".tokenizer").orElse(defaults.tokenizer()),
        PER_RUN,
        new TrainingSettings(
            number(step + ".epochs", Double::valueOf).orElse(guide.epochs()),
            number(step + ".learning-rate", Double::valueOf).orElse(guide.learningRate()),
            number(step + ".weight-decay", Double::valueOf).orElse(guide.weightDecay()),
            number(step + ".batch-size", Integer::valueOf).orElse(guide.batchSize()),
            number(step + ".mlm-probability", Double::valueOf).orElse(guide.mlmProbability()),
            number(step + ".seed", Long::valueOf).orElse(guide.seed()),
            number(step + ".warmup-steps", Long::valueOf).orElse(guide.warmupSteps()),
            number(step + ".warmup-ratio", Double::valueOf).orElse(guide.warmupRatio()),
            number(step + ".max-grad-norm", Double::valueOf).orElse(guide.maxGradNorm()),
            number(step + ".gradient-accumulation-steps", Integer::valueOf).orElse(guide.gradientAccumulationSteps()),
            number(step + ".max-steps", Long::valueOf).orElse(guide.maxSteps()),
            text(step + ".eval-every").map(TrainingSettings::parseEvalEvery).orElse(guide.evalEvery()),
            number(step + ".checkpoint-every", Long::valueOf).orElse(guide.checkpointEvery()),
            bool(step + ".whole-word-mask").orElse(guide.wholeWordMask())),
        TrainRun.Resume.FRESH,
        new Compute(text(step + ".device").orElse(defaults.compute().device()),
            bool(step + ".tf32").orElse(defaults.compute().tf32())),
        number(step + ".workers", Integer::valueOf).orElse(defaults.workers()),
        number(step + ".collective-timeout", Long::valueOf).map(Duration::ofSeconds)
            .orElse(defaults.collectiveTimeout()),
        number(step + ".keep-checkpoints", Integer::valueOf).orElse(defaults.keepCheckpoints()),
        number(step + ".log-every", Integer::valueOf).orElse(defaults.logEvery()),
        choice(step + ".report-to", ReportTo.class).orElse(defaults.reportTo()),
        null,
        modelName()));
  }

  private Optional<String> text(String key) {
    return value(key);
  }

  private <T> Optional<T> number(String key, Function<String, T> parse) {
    return value(key).map(v -> {
      try {
        return parse.apply(v);
      } catch (NumberFormatException e) {
        throw invalid(key, "must be a number, got " + v);
      }
    });
  }

  private Optional<Boolean> bool(String key) {
    return value(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(key, "must be true or false, got " + v);
    });
  }

  private <E extends Enum<E>> Optional<E> choice(String key, Class<E> type) {
    return value(key).map(v -> {
      try {
        return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw invalid(key, "must be one of " + java.util.Arrays.stream(type.getEnumConstants())
            .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ", got " + v);
      }
    });
  }

  private static UserError invalid(String key, String problem) {
    return new UserError("invalid " + key.substring(0, key.indexOf('.')) + " setting: " + key + " " + problem);
  }

  /** Builds a step's settings, turning the record's own checks into messages about this config. */
  private static <T> T checked(String step, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (UserError e) {
      throw e.getMessage().startsWith("invalid ") ? e : new UserError("invalid " + step + " setting: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UserError("invalid " + step + " setting: " + e.getMessage());
    }
  }

  /** Hash of the settings that shape the preprocessed data. */
  public String dataSettingsHash() {
    return hash(s -> s.step().equals(PREPROCESS));
  }

  /** Hash of the settings that shape the trained model and the publishing decision, besides the data. */
  public String runSettingsHash() {
    return hash(s -> !s.step().equals(PREPROCESS) && !OPERATIONAL.contains(s.key()));
  }

  /** Every set key with its value, to record with a run. */
  public Properties toProperties() {
    Properties properties = new Properties();
    values.forEach((key, list) -> properties.setProperty(key, String.join(" ", list)));
    return properties;
  }

  private String hash(Predicate<Setting> included) {
    StringBuilder canonical = new StringBuilder();
    for (Setting setting : SETTINGS) {
      List<String> list = values.get(setting.key());
      if (list != null && included.test(setting)) {
        canonical.append(setting.key()).append('=').append(String.join("\u0000", list)).append('\n');
      }
    }
    return Hashing.sha256Hex(canonical.toString());
  }

  private void validate() {
    for (Setting setting : SETTINGS) {
      if (setting.required() && !values.containsKey(setting.key())) {
        throw new UserError("missing setting " + setting.key() + " (in the config file, or --" + setting.key()
            + " VALUE)");
      }
    }
    try {
      if (lockStaleAfter().isNegative() || lockStaleAfter().isZero()) {
        throw new UserError(LOCK_STALE_AFTER + " must be a positive number of seconds");
      }
    } catch (NumberFormatException e) {
      throw new UserError(LOCK_STALE_AFTER + " must be a number of seconds, got " + value(LOCK_STALE_AFTER).get());
    }
    try {
      gate();
    } catch (IllegalArgumentException e) { // NumberFormatException included
      throw new UserError(MAX_PERPLEXITY_INCREASE + " must be a fraction >= 0 (0.05 = 5 % worse accepted), got "
          + value(MAX_PERPLEXITY_INCREASE).get());
    }
    if (hubModelId().isPresent() && !org.mlmspark.hub.HubClient.isRepoId(hubModelId().get())) {
      throw new UserError(HUB_MODEL_ID + " must be a Hub repository id, USER/NAME or NAME, got " + hubModelId().get());
    }
    if (value(HUB_PRIVATE_REPO).isPresent() && !Set.of("true", "false").contains(value(HUB_PRIVATE_REPO).get())) {
      throw new UserError(HUB_PRIVATE_REPO + " must be true or false, got " + value(HUB_PRIVATE_REPO).get());
    }
    if (!(preprocessSettings().testSize() > 0)) {
      throw new UserError("preprocess.test-size must be > 0: the pipeline publishes a model only after"
          + " evaluating it on the test split");
    }
    if (trainRun().recipe().wholeWordMask() && !preprocessSettings().wordStarts()) {
      throw new UserError("train.whole-word-mask needs the words of the data: set preprocess.word-starts = true");
    }
  }

  private static UserError unknown(String key, String where) {
    int dot = key.indexOf('.');
    if (key.startsWith(TRAIN + ".") && PUSH_FLAGS.contains("--" + key.substring(dot + 1))) {
      return new UserError(key + " is not a pipeline setting: the publish step pushes the published model to the"
          + " Hub, after the evaluation gate; set " + HUB_MODEL_ID + " (and " + HUB_PRIVATE_REPO + ")");
    }
    if (dot > 0 && PIPELINE_OWNED.getOrDefault(key.substring(0, dot), Set.of()).contains("--" + key.substring(dot + 1))) {
      return new UserError(key + " is set by the pipeline: data, checkpoints and models live under " + OUTPUT
          + ", and crashed runs resume by themselves");
    }
    return new UserError("unknown setting " + key + where + closest(key) + " (bin/pipeline --help lists the settings)");
  }

  /** A suggestion for a mistyped key: the same flag under another step, or a prefix of a known one. */
  private static String closest(String key) {
    String name = key.substring(key.indexOf('.') + 1);
    return SETTINGS.stream().map(Setting::key)
        .filter(k -> {
          String known = k.substring(k.indexOf('.') + 1);
          return known.equals(name) || known.startsWith(name) || name.startsWith(known);
        })
        .findFirst().map(k -> " (did you mean " + k + "?)").orElse("");
  }

  private static List<Setting> buildSettings() {
    List<Setting> settings = new ArrayList<>(List.of(
        new Setting(OUTPUT, false, true, "DIR",
            "Where the pipeline keeps everything: model/ (the published HF model), runs/<UTC time>/ (one record per"
                + " run), data/ (preprocessed blocks), pipeline.lock. Local, hdfs:// or s3a://."),
        new Setting(LOCK_STALE_AFTER, false, false, "SECONDS",
            "A lock whose holder has not refreshed it for this long is taken over (default "
                + DEFAULT_STALE_AFTER.toSeconds() + "); a dead holder on the same host is replaced at once."),
        new Setting(MAX_PERPLEXITY_INCREASE, false, false, "F",
            "Publish only if the new model's perplexity is at most this fraction above the published model's on"
                + " the same test blocks (0 = not worse). Unset: publish every successfully evaluated model."),
        new Setting(HUB_MODEL_ID, false, false, "USER/NAME",
            "Also push the published model (weights, tokenizer, model card) to this Hugging Face Hub repository"
                + " (HF_TOKEN, HF_ENDPOINT); a NAME goes under the token's account. Unset: no push."),
        new Setting(HUB_PRIVATE_REPO, false, false, "true|false",
            "Create the Hub repository private (default false; an existing one keeps its visibility).")));
    settings.addAll(List.of(
        step("preprocess.input", true, true, "PATH", "Files, directories or globs: JSON lines or Parquet."),
        step("preprocess.tokenizer", "ID|DIR|FILE", "The tokenizer, which must be the base model's (default distilroberta-base)."),
        step("preprocess.limit", "N", "Only the first N questions in input order (default: all)."),
        step("preprocess.subreddit", "NAME", "Only questions from this subreddit (default: all)."),
        step("preprocess.test-size", "F", "Fraction of questions in the test split, > 0 here (default 0.2)."),
        step("preprocess.seed", "S", "Seed of the train/test split (default 42)."),
        step("preprocess.block-size", "N", "Tokens per block (default 128)."),
        step("preprocess.shards", "N", "Parquet files per split (default: one per Spark core)."),
        step("preprocess.schema", "auto|eli5|eli5_category", "Input layout (default auto)."),
        step("preprocess.group-by", "batch|partition", "group_texts per batch of rows, as the guide, or per partition (default batch)."),
        step("preprocess.batch-rows", "N", "Rows per group_texts batch (default 1000)."),
        step("preprocess.max-reject-fraction", "F", "Fail when more records are rejected (default 0.01)."),
        step("preprocess.max-text-chars", "N", "Reject questions whose joined answers are longer (default 1000000)."),
        step("preprocess.word-starts", "true|false", "Also write word starts, which train.whole-word-mask needs (default false)."),
        step("train.model", true, false, "ID|DIR", "The model every run starts from: hub id or directory."),
        step("train.tokenizer", "DIR", "Tokenizer files, if not in the model directory."),
        step("train.epochs", "N", "Default 3."),
        step("train.learning-rate", "LR", "Peak learning rate (default 2e-5)."),
        step("train.weight-decay", "W", "Default 0.01."),
        step("train.batch-size", "N", "Per worker (default 8); evaluation uses it too."),
        step("train.mlm-probability", "P", "Default 0.15; evaluation uses it too."),
        step("train.whole-word-mask", "true|false", "Mask whole words; needs preprocess.word-starts (default false)."),
        step("train.seed", "S", "Data order, masks, dropout (default 42); evaluation uses it too."),
        step("train.warmup-steps", "N", "Linear warmup steps, wins over the ratio (default 0)."),
        step("train.warmup-ratio", "F", "Warmup as a fraction of the run (default 0)."),
        step("train.max-grad-norm", "N", "Default 1.0."),
        step("train.gradient-accumulation-steps", "N", "Default 1."),
        step("train.max-steps", "N", "Stop after N optimizer steps, 0: the epochs decide (default 0)."),
        step("train.eval-every", "epoch|N", "Evaluate at every epoch's end or every N steps (default epoch)."),
        step("train.checkpoint-every", "N", "Checkpoint every N steps; a crashed run resumes from the newest (default 500)."),
        step("train.keep-checkpoints", "N", "Newest checkpoints kept (default 2)."),
        step("train.device", "auto|cpu|gpu", "Default auto."),
        step("train.bf16", "true|false", "HF's bf16: not available through DJL 0.36 (default false)."),
        step("train.tf32", "true|false", "TF32 matrix products on Ampere+ GPUs (default false)."),
        step("train.workers", "N", "Data-parallel workers, one Spark task each (default 1)."),
        step("train.collective-timeout", "SECONDS", "How long a rank waits for the others (default 1800)."),
        step("train.log-every", "N", "Progress line every N steps (default 10)."),
        step("train.report-to", "tensorboard|none", "tensorboard: event files under the run's train/runs/ (default none).")));
    return List.copyOf(settings);
  }

  /** A single-valued, optional key of a step, mirroring the command flag of the same name. */
  private static Setting step(String key, String paramLabel, String description) {
    return step(key, false, false, paramLabel, description);
  }

  private static Setting step(String key, boolean required, boolean multiValued, String paramLabel,
      String description) {
    return new Setting(key, multiValued, required, paramLabel, description);
  }
}
