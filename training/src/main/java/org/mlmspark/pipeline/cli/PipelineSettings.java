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
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.mlmspark.cli.UserError;
import org.mlmspark.pipeline.EvaluationGate;
import org.mlmspark.pipeline.PipelineConfig;
import org.mlmspark.preprocess.PreprocessSettings;
import org.mlmspark.support.Hashing;
import org.mlmspark.train.job.TrainRun;
import org.mlmspark.preprocess.cli.PreprocessCommand;
import org.mlmspark.train.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The settings of {@code bin/pipeline}: a properties file whose keys are the steps' flags ({@code preprocess.input},
 * {@code train.epochs}, ...) plus the pipeline's own ({@code pipeline.output}, ...), overridden by the same keys
 * given as flags ({@code --train.epochs 1}). The step keys are the flags of {@code bin/preprocess} and
 * {@code bin/train}, read with those commands' own definitions (so names, defaults and checks cannot drift), except
 * those the pipeline sets (where data and models go, resuming); {@link #config()} turns them into the steps' typed
 * settings.
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

  /**
   * One settable key.
   *
   * @param flag the step flag it becomes, or null for the pipeline's own settings
   * @param multiValued takes several values (whitespace-separated in the file)
   */
  public record Setting(String key, String flag, boolean multiValued, boolean required, String paramLabel,
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

  /** The input paths, as {@code bin/preprocess --input} takes them. */
  public List<String> inputs() {
    return values.get(PREPROCESS + ".input");
  }

  /**
   * The flags of {@code step}'s command for the settings given, without those the pipeline adds; values in the
   * order of the command's own flags.
   */
  public List<String> stepArgs(String step) {
    List<String> args = new ArrayList<>();
    for (Setting setting : SETTINGS) {
      List<String> list = values.get(setting.key());
      if (setting.flag() != null && setting.step().equals(step) && list != null) {
        args.add(setting.flag());
        args.addAll(list);
      }
    }
    return args;
  }

  /** The steps' typed settings; data and model locations are placeholders the pipeline replaces per run. */
  public PipelineConfig config() {
    return new PipelineConfig(output(), lockStaleAfter(), gate(), hubModelId().orElse(null), hubPrivateRepo(),
        preprocessSettings(), trainRun(), dataSettingsHash(), runSettingsHash(), toProperties());
  }

  private PreprocessSettings preprocessSettings() {
    return parseStep(new PreprocessCommand(), withPipelineFlags(PREPROCESS)).settings();
  }

  private TrainRun trainRun() {
    List<String> args = withPipelineFlags(TRAIN);
    args.addAll(List.of("--model-name", modelName()));
    return parseStep(new TrainCommand(), args).run();
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
    checkStep(PREPROCESS, () -> {
      if (!(preprocessSettings().testSize() > 0)) {
        throw new UserError("preprocess.test-size must be > 0: the pipeline publishes a model only after"
            + " evaluating it on the test split");
      }
    });
    checkStep(TRAIN, this::trainRun);
    if (trainRun().recipe().wholeWordMask() && !preprocessSettings().wordStarts()) {
      throw new UserError("train.whole-word-mask needs the words of the data: set preprocess.word-starts = true");
    }
  }

  /** Sets a step command's fields from flags, as its bin/ command would (enum values in any case). */
  static <T> T parseStep(T command, List<String> args) {
    new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args.toArray(String[]::new));
    return command;
  }

  /** Runs a step's own checks, turning their messages into ones about this config. */
  private static void checkStep(String step, Runnable check) {
    try {
      check.run();
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      throw new UserError("invalid " + step + " setting: " + e.getMessage().replace("option '--", "'" + step + "."));
    }
  }

  /** The step's flags with placeholders for the ones the pipeline sets, enough to parse and check them. */
  private List<String> withPipelineFlags(String step) {
    List<String> args = new ArrayList<>(stepArgs(step));
    PIPELINE_OWNED.get(step).stream().filter(f -> !f.equals("--resume")).sorted()
        .forEach(flag -> args.addAll(List.of(flag, "OUTPUT")));
    return args;
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
        new Setting(OUTPUT, null, false, true, "DIR",
            "Where the pipeline keeps everything: model/ (the published HF model), runs/<UTC time>/ (one record per"
                + " run), data/ (preprocessed blocks), pipeline.lock. Local, hdfs:// or s3a://."),
        new Setting(LOCK_STALE_AFTER, null, false, false, "SECONDS",
            "A lock whose holder has not refreshed it for this long is taken over (default "
                + DEFAULT_STALE_AFTER.toSeconds() + "); a dead holder on the same host is replaced at once."),
        new Setting(MAX_PERPLEXITY_INCREASE, null, false, false, "F",
            "Publish only if the new model's perplexity is at most this fraction above the published model's on"
                + " the same test blocks (0 = not worse). Unset: publish every successfully evaluated model."),
        new Setting(HUB_MODEL_ID, null, false, false, "USER/NAME",
            "Also push the published model (weights, tokenizer, model card) to this Hugging Face Hub repository"
                + " (HF_TOKEN, HF_ENDPOINT); a NAME goes under the token's account. Unset: no push."),
        new Setting(HUB_PRIVATE_REPO, null, false, false, "true|false",
            "Create the Hub repository private (default false; an existing one keeps its visibility).")));
    settings.addAll(stepSettings(PREPROCESS, new PreprocessCommand()));
    settings.addAll(stepSettings(TRAIN, new TrainCommand()));
    return List.copyOf(settings);
  }

  private static List<Setting> stepSettings(String step, Object command) {
    return CommandSpec.forAnnotatedObject(command).options().stream()
        .filter(o -> !o.usageHelp() && !o.versionHelp() && !o.hidden())
        .filter(o -> !PIPELINE_OWNED.get(step).contains(o.longestName()) && !PUSH_FLAGS.contains(o.longestName()))
        .map(o -> new Setting(step + "." + o.longestName().substring(2), o.longestName(), o.arity().max() > 1,
            o.required(), o.paramLabel().startsWith("<") ? "VALUE" : o.paramLabel(), description(o)))
        .toList();
  }

  /** The step's own help text (picocli has filled in its default), with the default added where it is not said. */
  private static String description(OptionSpec option) {
    String text = String.join(" ", option.description());
    boolean said = text.toLowerCase(Locale.ROOT).contains("default");
    return said || option.defaultValue() == null ? text : text + " (default: " + option.defaultValue() + ")";
  }

}
