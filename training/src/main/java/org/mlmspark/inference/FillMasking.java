package org.mlmspark.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.cli.HadoopConf;
import org.mlmspark.hub.HubClient;
import org.mlmspark.hub.HubSettings;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.spark.JobProgress;
import org.mlmspark.spark.Sessions;
import org.mlmspark.spark.StagedRows;
import org.mlmspark.spark.TaskFailures;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.storage.InputFiles;
import org.mlmspark.storage.ObjectStoreProbe;
import org.mlmspark.support.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fill-mask step: the pipeline's predictions for texts in this JVM ({@link #predict}), or for the texts of
 * files as a Spark job whose output is committed atomically with its manifest written last ({@link #runBatch}).
 */
public final class FillMasking {
  private static final Logger LOG = LoggerFactory.getLogger(FillMasking.class);
  private static final ObjectMapper JSON = Json.mapper();

  private FillMasking() {}

  /** The predictions for one text: one list per mask token, in text order. */
  public record TextPredictions(String text, List<List<FillMask.Prediction>> perMask) {
    /** What the pipeline returns: the list itself for a text with one mask, the list of lists for several. */
    public Object pipelineResult() {
      return perMask.size() == 1 ? perMask.get(0) : perMask;
    }

    /** {@link #pipelineResult()} as JSON, as {@code json.dumps} of the pipeline's result lists it. */
    public String json() {
      try {
        return JSON.writeValueAsString(pipelineResult());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** What a batch job committed, and how long it ran. */
  public record BatchResult(Path output, FillMaskManifest manifest, double seconds) {}

  /**
   * The predictions for every text, in order. Every text is checked for a mask token before any is predicted, so a
   * bad one fails the call with nothing computed.
   */
  public static List<TextPredictions> predict(FillMaskRun run, List<String> texts) throws IOException {
    Configuration conf = HadoopConf.fromSystemProperties();
    HubClient hub = new HubClient(run.hub() != null ? run.hub() : HubSettings.fromEnvironment());
    try (FillMaskModel loaded = FillMaskModel.open(ModelDirectory.resolve(run.model(), conf, hub))) {
      FillMask fillMask = loaded.fillMask();
      texts.forEach(fillMask::requireMask);
      List<TextPredictions> results = new ArrayList<>(texts.size());
      for (String text : texts) {
        results.add(new TextPredictions(text, fillMask.predict(text, run.topK())));
      }
      return results;
    }
  }

  /** Runs the job in this JVM's Spark session, started once the inputs and the model have been checked. */
  public static BatchResult runBatch(FillMaskBatch batch) throws IOException {
    return runBatch(() -> Sessions.getOrCreate("mlm-spark fill-mask"), batch);
  }

  /** Runs the job in {@code spark}, e.g. a session shared with other steps. */
  public static BatchResult runBatch(SparkSession spark, FillMaskBatch batch) throws IOException {
    return runBatch(() -> spark, batch);
  }

  private static BatchResult runBatch(Supplier<SparkSession> session, FillMaskBatch batch) throws IOException {
    Configuration hadoop = Sessions.hadoopConfiguration();
    List<String> locations = new ArrayList<>(batch.inputs());
    locations.addAll(List.of(batch.output(), batch.model()));
    ObjectStoreProbe.requireReachable(locations, hadoop);
    InputFiles files = InputFiles.list(batch.inputs(), EnumSet.allOf(InputFiles.Format.class), hadoop);
    String location = executorLocation(batch.model(), hadoop);
    // Loaded here first: a bad model fails before Spark starts, and in local mode the tasks share this copy.
    FillMaskModel.shared(location, hadoop);
    FillMaskJob.Settings settings = new FillMaskJob.Settings(batch.model(), location, batch.topK(),
        batch.textColumn(), batch.batchSize(), batch.format());
    long start;
    FillMaskManifest manifest;
    Path committed;
    try (AtomicOutput out = AtomicOutput.prepare(new Path(batch.output()), Set.of(FillMaskJob.RESULTS), hadoop)) {
      SparkSession spark = session.get();
      start = System.nanoTime();
      try (JobProgress progress = JobProgress.start(spark.sparkContext(), "fill-mask")) {
        spark.sparkContext().setJobDescription("predict");
        manifest = TaskFailures.oneLine(() -> new FillMaskJob(spark, settings, files).run(out.staging()));
      } finally {
        spark.sparkContext().setJobDescription(null);
      }
      out.commit(manifest.toJson(), (fs, staged) -> {
        Path results = new Path(staged, FillMaskJob.RESULTS);
        StagedRows.require(results, batch.format() == FillMaskJob.OutputFormat.PARQUET
            ? StagedRows.parquet(fs, results) : StagedRows.jsonLines(fs, results), manifest.rows().read());
      });
      committed = out.output();
    }
    BatchResult result = new BatchResult(committed, manifest, (System.nanoTime() - start) / 1e9);
    log(result);
    return result;
  }

  private static void log(BatchResult result) {
    FillMaskManifest.Rows rows = result.manifest().rows();
    double seconds = result.seconds();
    LOG.info("Wrote {}: {} rows in {} s ({} texts/s), {} predicted, {} with an error{}", result.output(),
        rows.read(), String.format("%.1f", seconds), String.format("%.1f", rows.read() / seconds), rows.predicted(),
        rows.errors(), rows.errors() == 0 ? "" : " " + rows.errorsByMessage());
  }

  /**
   * Where executors find the model. A path as the driver qualifies it (a relative path means the driver's working
   * directory). A hub id stays a hub id: the driver's HF cache is a local folder of the driver, so each executor
   * fetches the model into its own cache (or finds it there with HF_HUB_OFFLINE=1).
   */
  static String executorLocation(String spec, Configuration conf) throws IOException {
    Path path = new Path(spec);
    FileSystem fs = path.getFileSystem(conf);
    return fs.exists(path) ? fs.makeQualified(path).toString() : spec;
  }
}
