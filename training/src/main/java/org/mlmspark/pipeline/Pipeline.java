package org.mlmspark.pipeline;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.Version;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.UserError;
import org.mlmspark.hub.HubClient;
import org.mlmspark.hub.HubSettings;
import org.mlmspark.hub.HubUploader;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.pipeline.RunRecord.Evaluation;
import org.mlmspark.pipeline.RunRecord.StepRecord;
import org.mlmspark.pipeline.RunRecord.StepState;
import org.mlmspark.preprocess.Manifest;
import org.mlmspark.preprocess.Preprocessing;
import org.mlmspark.spark.Sessions;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.storage.InputFiles;
import org.mlmspark.storage.OutputLock;
import org.mlmspark.support.Hashing;
import org.mlmspark.tokenizer.TokenizerFiles;
import org.mlmspark.tokenizer.TokenizerResolver;
import org.mlmspark.train.hub.ModelPush;
import org.mlmspark.train.io.TrainCheckpoints;
import org.mlmspark.train.io.TrainOutput;
import org.mlmspark.train.job.TrainRun;
import org.mlmspark.train.job.Training;

/**
 * One invocation of the pipeline: lock the output location, decide with {@link RunPlanner} what to do, run the
 * steps (preprocess → train → evaluate → publish) recording each in the run's {@code run.json}, and say how it
 * ended. The steps are the {@code bin/preprocess} and {@code bin/train} commands themselves, run in this JVM on
 * one Spark session.
 *
 * <p>Layout of {@code OUTPUT}: {@code pipeline.lock}; {@code model/} (the published model and its
 * {@code manifest.json}); {@code data/<key>/} (preprocessed blocks, named by input and settings, so data that is
 * still current is reused); {@code runs/<UTC time>/} ({@code run.json}, {@code settings.properties},
 * {@code preprocess-manifest.json}, {@code train/}: the trainer's output, checkpoints while it runs).
 */
public final class Pipeline {
  /** The lock of the whole output location, held for the run. */
  static final String LOCK = "pipeline.lock";
  static final String MODEL = "model";
  static final String DATA = "data";
  static final String RUNS = "runs";
  static final String TRAIN_OUTPUT = "train";
  static final String SETTINGS_FILE = "settings.properties";
  static final String PREPROCESS_MANIFEST = "preprocess-manifest.json";

  /**
   * {@code OUTPUT/model/manifest.json}: where the published model comes from.
   *
   * @param run the run that trained it
   * @param perplexity its perplexity on that run's test split
   */
  public record Published(String run, Instant publishedAt, double perplexity, String inputFingerprint,
      String dataKey, String runKey, String version) {}

  private final PipelineConfig settings;
  private final boolean force;
  private final Configuration conf;
  private final Clock clock;
  private final PrintStream out;
  private final Path output;
  private final FileSystem fs;
  private final HubSettings hubSettings;

  public Pipeline(PipelineConfig settings, boolean force, Configuration conf, Clock clock, PrintStream out)
      throws IOException {
    this(settings, force, conf, clock, out, null);
  }

  /** With these hub settings for {@code publish.hub-model-id} instead of the environment's (null: environment). */
  public Pipeline(PipelineConfig settings, boolean force, Configuration conf, Clock clock, PrintStream out,
      HubSettings hubSettings) throws IOException {
    this.hubSettings = hubSettings;
    this.settings = settings;
    this.force = force;
    this.conf = conf;
    this.clock = clock;
    this.out = out;
    Path given = new Path(settings.output());
    this.fs = given.getFileSystem(conf);
    this.output = fs.makeQualified(given);
  }

  public Outcome run() throws IOException {
    RunKey key = currentKey();
    checkChain();
    OutputLock.Attempt attempt =
        OutputLock.acquire(new Path(output, LOCK), conf, settings.lockStaleAfter(), clock);
    if (attempt instanceof OutputLock.Held held) {
      say("locked: another run is working on %s: %s, %s", output, held.owner(), held.reason());
      return Outcome.LOCKED;
    }
    OutputLock.Acquired acquired = (OutputLock.Acquired) attempt;
    try (OutputLock lock = acquired.lock()) {
      if (acquired.takenOver() != null) {
        say("took over the stale lock of %s", acquired.takenOver());
      }
      RunStore runs = new RunStore(fs, new Path(output, RUNS));
      RunStore.Latest latest = runs.latest();
      boolean dataReady = fs.exists(new Path(dataDir(key), AtomicOutput.MANIFEST));
      RunPlanner.Plan plan = RunPlanner.plan(key, force, latest.latest(), latest.lastFinished(), dataReady);
      if (plan instanceof RunPlanner.UpToDate upToDate) {
        RunRecord last = upToDate.last();
        say("up to date: run %s (%s) had this input and these settings%s; nothing to do", last.id(),
            last.status().name().toLowerCase(Locale.ROOT),
            last.status() == RunStatus.REFUSED ? ", and the evaluation gate kept the published model" : "");
        return Outcome.UP_TO_DATE;
      }
      return new Execution(runs, lock, key, plan).run();
    }
  }

  /** The hashes that decide whether anything must run; reading them lists the inputs but reads no data. */
  private RunKey currentKey() throws IOException {
    InputFiles inputs;
    try {
      inputs = InputFiles.list(settings.preprocess().inputs(), conf);
    } catch (FileNotFoundException e) {
      throw new UserError(e.getMessage());
    }
    String fingerprint = inputs.fingerprint();
    String data = Hashing.sha256Hex(String.join("\n", fingerprint, settings.dataSettingsHash(),
        pathFingerprint(settings.preprocess().tokenizer())));
    String run = Hashing.sha256Hex(String.join("\n", data, settings.runSettingsHash(),
        pathFingerprint(settings.train().model()), pathFingerprint(settings.train().tokenizer())));
    return new RunKey(fingerprint, data, run);
  }

  /**
   * Before any step runs: the base model and the tokenizers resolve (a hub id offline only from the HF cache or,
   * for tokenizers, the bundled copy), so a chain that cannot finish fails in seconds with one line, exit 2,
   * instead of after preprocessing.
   */
  private void checkChain() {
    HubClient hub = new HubClient(hubSettings != null ? hubSettings : HubSettings.fromEnvironment());
    check("preprocess.tokenizer", settings.preprocess().tokenizer(),
        spec -> TokenizerResolver.resolveDirectory(spec, conf, hub));
    check("train.tokenizer", settings.train().tokenizer(), spec -> TokenizerResolver.resolveDirectory(spec, conf, hub));
    check("train.model", settings.train().model(), spec -> ModelDirectory.resolve(spec, conf, hub));
  }

  private interface Resolver {
    Object resolve(String spec) throws IOException;
  }

  private void check(String key, String spec, Resolver resolver) {
    if (spec == null) {
      return;
    }
    try {
      resolver.resolve(spec);
    } catch (IOException | RuntimeException e) {
      throw new UserError(key + " = " + spec + " cannot be used: " + Cli.describe(e));
    }
  }

  /**
   * Names, sizes and modification times of the files a setting points at (a model or tokenizer directory), so a
   * base model rewritten in place counts as a change; empty for hub ids, whose name is in the settings.
   */
  private String pathFingerprint(String value) throws IOException {
    if (value == null) {
      return "";
    }
    Path path = new Path(value);
    FileSystem pathFs = path.getFileSystem(conf);
    if (!pathFs.exists(path)) {
      return "";
    }
    StringBuilder listing = new StringBuilder();
    for (FileStatus file : pathFs.listStatus(path)) {
      if (file.isFile()) {
        listing.append(file.getPath().getName()).append('\t').append(file.getLen()).append('\t')
            .append(file.getModificationTime()).append('\n');
      }
    }
    return Hashing.sha256Hex(listing.toString());
  }

  private Path dataDir(RunKey key) {
    return new Path(new Path(output, DATA), key.data().substring(0, 16));
  }

  private void say(String format, Object... args) {
    out.println("pipeline: " + String.format(format, args));
  }

  /** The steps of one run, started or resumed. */
  private final class Execution {
    private final RunStore runs;
    private final OutputLock lock;
    private final RunKey key;
    private final List<Step> steps;
    private final Path data;
    private RunRecord record;
    private SparkSession spark;

    Execution(RunStore runs, OutputLock lock, RunKey key, RunPlanner.Plan plan) throws IOException {
      this.runs = runs;
      this.lock = lock;
      this.key = key;
      this.data = dataDir(key);
      String host = OutputLock.localHost();
      long pid = ProcessHandle.current().pid();
      if (plan instanceof RunPlanner.Resume resume) {
        record = resume.run().resumedBy(host, pid);
        steps = resume.steps();
        say("resuming run %s (attempt %d) at %s", record.id(), record.attempts(), name(steps.get(0)));
      } else {
        RunPlanner.Start start = (RunPlanner.Start) plan;
        if (start.superseded() != null) {
          supersede(start.superseded());
        }
        Instant now = clock.instant();
        record = RunRecord.start(runs.newId(now), now, host, pid, key);
        steps = start.steps();
        say("starting run %s: %s", record.id(), String.join(" -> ", steps.stream().map(Pipeline::name).toList()));
      }
      runs.write(record);
      StringWriter properties = new StringWriter();
      settings.recorded().store(properties, "settings of run " + record.id() + " (config file and flags)");
      runs.writeFile(new Path(runs.dir(record.id()), SETTINGS_FILE),
          properties.toString().getBytes(StandardCharsets.UTF_8));
    }

    Outcome run() throws IOException {
      if (!steps.contains(Step.PREPROCESS) && !record.completedSteps().contains(Step.PREPROCESS)) {
        Instant now = clock.instant();
        record = record.with(new StepRecord(Step.PREPROCESS, StepState.SKIPPED, now, now, 0,
            "the data of this input and these settings is already at " + data));
        keepPreprocessManifest();
        runs.write(record);
      }
      for (Step step : steps) {
        Instant started = clock.instant();
        say("%s ...", name(step));
        String note;
        try {
          lock.check();
          note = switch (step) {
            case PREPROCESS -> preprocess();
            case TRAIN -> train();
            case EVALUATE -> evaluate();
            case PUBLISH -> publish();
          };
        } catch (Exception e) {
          Instant now = clock.instant();
          String message = Cli.describe(e);
          record = record.with(new StepRecord(step, StepState.FAILED, started, now, seconds(started, now), message))
              .failed(name(step) + ": " + message, now);
          runs.write(record);
          System.err.println("error: " + name(step) + " failed: " + message);
          say("run %s failed at %s; the next invocation resumes it", record.id(), name(step));
          return Outcome.STEP_FAILED;
        }
        Instant now = clock.instant();
        record = record.with(new StepRecord(step, StepState.DONE, started, now, seconds(started, now), note));
        runs.write(record);
        say("%s done in %.1f s: %s", name(step), seconds(started, now), note);
        if (step == Step.EVALUATE && !record.evaluation().publish()) {
          record = record.with(new StepRecord(Step.PUBLISH, StepState.SKIPPED, now, now, 0,
              "the evaluation gate kept the published model")).ended(RunStatus.REFUSED, now);
          runs.write(record);
          cleanUp(false);
          say("run %s refused by the evaluation gate: %s", record.id(), record.evaluation().reason());
          return Outcome.REFUSED_BY_GATE;
        }
      }
      record = record.ended(RunStatus.PUBLISHED, clock.instant());
      runs.write(record);
      cleanUp(true);
      say("published run %s to %s: %s", record.id(), new Path(output, MODEL), record.evaluation().reason());
      return Outcome.PUBLISHED;
    }

    private String preprocess() throws Exception {
      Preprocessing.run(spark(), settings.preprocess().withOutput(data.toString()));
      Manifest manifest = keepPreprocessManifest();
      return String.format("%d train and %d test blocks in %s, %d records rejected",
          manifest.splits().get(Manifest.TRAIN).blocks(), manifest.splits().get(Manifest.TEST).blocks(), data,
          manifest.rows().rejected());
    }

    /** Copies the data's manifest into the run's record directory. */
    private Manifest keepPreprocessManifest() throws IOException {
      byte[] bytes;
      try (InputStream in = fs.open(new Path(data, AtomicOutput.MANIFEST))) {
        bytes = in.readAllBytes();
      }
      runs.writeFile(new Path(runs.dir(record.id()), PREPROCESS_MANIFEST), bytes);
      return Manifest.read(new ByteArrayInputStream(bytes));
    }

    private String train() throws Exception {
      Path trained = trainDir();
      if (TrainOutput.isFinished(trained, conf)) {
        return "already trained in " + trained; // the previous attempt stopped right after training
      }
      Optional<Path> checkpoint = new TrainCheckpoints(new Path(trained, TrainOutput.CHECKPOINTS), conf, 1).latest();
      // without a checkpoint a fresh run, which removes what an attempt killed before its first checkpoint left
      TrainRun.Resume from = checkpoint.isPresent() ? TrainRun.Resume.LATEST : TrainRun.Resume.FRESH;
      spark();
      Training.run(settings.train().with(data.toString(), trained.toString(), from));
      return "model in " + trained + checkpoint.map(c -> ", resumed from " + c.getName()).orElse("");
    }

    private String evaluate() throws IOException {
      var training = settings.train().recipe();
      String device = settings.train().compute().device();
      double candidate = ModelEvaluation.perplexity(spark(), ModelDirectory.of(trainDir(), conf), data.toString(),
          training, device);
      Double published = null;
      String note = "";
      Path current = new Path(output, MODEL);
      if (fs.exists(new Path(current, AtomicOutput.MANIFEST))) {
        ModelDirectory model = ModelDirectory.of(current, conf);
        String dataTokenizer;
        try (InputStream in = fs.open(new Path(data, AtomicOutput.MANIFEST))) {
          dataTokenizer = Manifest.read(in).tokenizer().fingerprint();
        }
        String modelTokenizer = TokenizerResolver.fingerprint(model.read(TokenizerFiles.TOKENIZER),
            current + "/" + TokenizerFiles.TOKENIZER);
        if (dataTokenizer.equals(modelTokenizer)) {
          published = ModelEvaluation.perplexity(spark(), model, data.toString(), training, device);
        } else {
          note = "; the published model uses another tokenizer, so the perplexities do not compare";
        }
      }
      EvaluationGate.Decision decision = settings.gate().decide(candidate, published);
      record = record.with(new Evaluation(candidate, published, decision.publish(), decision.reason() + note));
      return record.evaluation().reason();
    }

    private String publish() throws IOException {
      lock.check(); // the last moment to notice another run took over, before touching the published model
      Evaluation evaluation = record.evaluation();
      Published manifest = new Published(record.id(), clock.instant(), evaluation.candidatePerplexity(),
          key.inputFingerprint(), key.data(), key.run(), Version.VERSION);
      Path published = new Path(output, MODEL);
      Publisher.publish(trainDir(), published, PipelineJson.write(manifest), conf);
      String note = "model of run " + record.id() + " in " + published;
      if (settings.hubModelId() == null) {
        return note;
      }
      // After the local publication: a failed push fails the step, and the next invocation publishes and pushes again.
      ModelPush push = ModelPush.prepare(new HubUploader(hubSettings != null ? hubSettings
          : HubSettings.fromEnvironment()), settings.hubModelId(), null, settings.hubPrivateRepo());
      HubUploader.Commit commit = push.push(published, conf, null, null, String.format(Locale.ROOT,
          "Run %s: perplexity %.2f", record.id(), evaluation.candidatePerplexity()));
      return note + ", pushed to " + commit.url();
    }

    private Path trainDir() {
      return new Path(runs.dir(record.id()), TRAIN_OUTPUT);
    }

    private SparkSession spark() {
      if (spark == null) {
        spark = Sessions.getOrCreate("mlm-spark pipeline");
      }
      return spark;
    }

    /**
     * A finished run keeps its record and metrics, not its bulk: checkpoints go, and a published run's weights (a
     * copy is in model/); data of other input or settings goes too.
     */
    private void cleanUp(boolean published) throws IOException {
      Path trained = trainDir();
      fs.delete(new Path(trained, TrainOutput.CHECKPOINTS), true);
      if (published) {
        fs.delete(new Path(trained, Checkpoints.WEIGHTS), false);
      }
      Path dataRoot = new Path(output, DATA);
      for (FileStatus other : fs.listStatus(dataRoot)) {
        if (!other.getPath().getName().equals(data.getName())) {
          fs.delete(other.getPath(), true);
        }
      }
    }

    private void supersede(RunRecord old) throws IOException {
      runs.write(old.ended(RunStatus.SUPERSEDED, clock.instant()));
      fs.delete(new Path(runs.dir(old.id()), TRAIN_OUTPUT), true);
      say("run %s (unfinished, for other input or settings) is superseded", old.id());
    }
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  static String name(Step step) {
    return step.name().toLowerCase(Locale.ROOT);
  }
}
