package org.mlmspark.preprocess;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.cli.UserError;
import org.mlmspark.eli5.Eli5Schema;
import org.mlmspark.spark.JobProgress;
import org.mlmspark.spark.Sessions;
import org.mlmspark.spark.StagedRows;
import org.mlmspark.spark.TaskFailures;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.storage.InputFiles;
import org.mlmspark.storage.ObjectStoreProbe;
import org.mlmspark.tokenizer.ResolvedTokenizer;
import org.mlmspark.tokenizer.TokenIdEncoder;
import org.mlmspark.tokenizer.TokenizerResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The preprocessing step: checks everything it can before Spark runs anything, runs {@link PreprocessJob} and
 * commits the output atomically with its manifest written last.
 */
public final class Preprocessing {
  private static final Logger LOG = LoggerFactory.getLogger(Preprocessing.class);

  private Preprocessing() {}

  /** What a run committed. */
  public record PreprocessResult(Path output, Manifest manifest) {}

  /** Runs in its own Spark session, which starts (~2 s) while the tokenizer loads and the inputs are checked. */
  public static PreprocessResult run(PreprocessSettings settings) throws IOException {
    return run(() -> Sessions.getOrCreate("mlm-spark preprocess"), settings);
  }

  /** Runs in {@code spark}, e.g. the session a pipeline shares between its steps. */
  public static PreprocessResult run(SparkSession spark, PreprocessSettings settings) throws IOException {
    return run(() -> spark, settings);
  }

  private static PreprocessResult run(Supplier<SparkSession> session, PreprocessSettings settings)
      throws IOException {
    Configuration hadoop = Sessions.hadoopConfiguration();
    List<String> locations = new ArrayList<>(settings.inputs());
    locations.addAll(List.of(settings.output(), settings.tokenizer()));
    ObjectStoreProbe.requireReachable(locations, hadoop);

    InputFiles files = listInputs(settings, hadoop);
    // Spark starts while the tokenizer loads and the checks below run: 10,000 rows take ~10 % less
    // (docs/preprocess.md, "Start-up"). A failing check still ends the run at once with its own one-line error.
    CompletableFuture<SparkSession> spark = CompletableFuture.supplyAsync(session);
    ResolvedTokenizer resolved = loadTokenizer(settings, hadoop);
    Eli5Schema layout = settings.schema().equals("auto")
        ? Eli5SchemaDetector.detect(files.files().get(0), hadoop)
        : Eli5Schema.fromCliName(settings.schema());
    LOG.info("Input: {} files, {} bytes, read as {}{}", files.files().size(), files.totalBytes(), layout.cliName(),
        settings.schema().equals("auto") ? " (detected)" : "");
    try (AtomicOutput out = AtomicOutput.prepare(
        new Path(settings.output()), Set.of(Manifest.TRAIN, Manifest.TEST, Manifest.REJECTS), hadoop)) {
      SparkSession started = spark.join();
      Manifest manifest;
      try (JobProgress progress = JobProgress.start(started.sparkContext(), "preprocess")) {
        manifest = TaskFailures.oneLine(() -> new PreprocessJob(started, settings, resolved, files, layout)
            .run(out.staging()));
      } finally {
        started.sparkContext().setJobDescription(null);
      }
      out.commit(manifest.toJson(), (fs, staged) -> {
        for (Map.Entry<String, Manifest.Split> split : manifest.splits().entrySet()) {
          Path dir = new Path(staged, split.getKey());
          StagedRows.require(dir, StagedRows.parquet(fs, dir), split.getValue().blocks());
        }
      });
      PreprocessResult result = new PreprocessResult(out.output(), manifest);
      log(result);
      return result;
    }
  }

  private static void log(PreprocessResult result) {
    Manifest manifest = result.manifest();
    Manifest.Split train = manifest.splits().get(Manifest.TRAIN);
    Manifest.Split test = manifest.splits().get(Manifest.TEST);
    LOG.info("Wrote {}: train {} rows -> {} blocks, test {} rows -> {} blocks; {} tokens, {} dropped; {} records rejected",
        result.output(), train.rows(), train.blocks(), test.rows(), test.blocks(), train.tokens() + test.tokens(),
        train.tokensDropped() + test.tokensDropped(), manifest.rows().rejected());
  }

  private static InputFiles listInputs(PreprocessSettings settings, Configuration hadoop) throws IOException {
    try {
      return InputFiles.list(settings.inputs(), hadoop);
    } catch (FileNotFoundException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** Resolves and loads the tokenizer once on the driver: a bad one fails here, not in every task. */
  private static ResolvedTokenizer loadTokenizer(PreprocessSettings settings, Configuration hadoop) {
    try {
      ResolvedTokenizer resolved = TokenizerResolver.resolve(settings.tokenizer(), hadoop);
      TokenIdEncoder.shared(resolved.fingerprint(), resolved.json());
      LOG.info("{}", resolved.describe());
      return resolved;
    } catch (IOException | IllegalStateException e) {
      throw new UserError("cannot use tokenizer " + settings.tokenizer() + ": " + e.getMessage());
    }
  }
}
