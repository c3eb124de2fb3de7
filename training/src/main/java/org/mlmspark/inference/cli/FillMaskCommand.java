package org.mlmspark.inference.cli;

import org.mlmspark.inference.FillMask;
import org.mlmspark.inference.FillMaskManifest;
import org.mlmspark.inference.FillMaskModel;
import org.mlmspark.inference.FillMaskJob;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.cli.Cli;
import org.mlmspark.hub.HubClient;
import org.mlmspark.hub.HubSettings;
import org.mlmspark.cli.HadoopConf;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.spark.Sessions;
import org.mlmspark.spark.TaskFailures;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.storage.InputFiles;
import org.mlmspark.storage.ObjectStoreProbe;
import org.mlmspark.spark.StagedRows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/fill-mask}: with TEXT arguments, prints per text the JSON that {@code pipeline("fill-mask")(text)}
 * returns; with {@code --input}, runs the same over files as a Spark job.
 */
@Command(name = "fill-mask", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Predicts the masked word(s) of each TEXT; one JSON array per text, in HF pipeline format.",
      "With --input/--output instead of TEXT: a Spark batch job over files, results as Parquet or JSON lines "
          + "(the input columns plus 'predictions' and 'error'); OUTPUT/manifest.json is written last."
    })
public final class FillMaskCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(FillMaskCommand.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> BATCH_ONLY = List.of("--output", "--text-column", "--batch-size", "--format");

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "ID|DIR",
      description = "HF hub id or model directory (local, s3a://, hdfs://) with config.json, model.safetensors, "
          + "tokenizer.json. Batch jobs on a cluster: give a directory every executor can read (s3a://, hdfs://); "
          + "a hub id is fetched by each executor into its own HF cache.")
  String model;

  @Option(names = "--top-k", defaultValue = "5", description = "Predictions per mask. Default: ${DEFAULT-VALUE}.")
  int topK;

  @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Text with the model's mask token, e.g. <mask>.")
  List<String> texts = List.of();

  @Option(names = "--input", paramLabel = "PATH",
      description = "Batch mode: files, directories or globs (local, file://, s3a://; repeatable): JSON lines "
          + "(.jsonl, .json, .json.gz), Parquet, or plain text (.txt, one text per line).")
  List<String> inputs;

  @Option(names = "--output", paramLabel = "DIR",
      description = "Batch mode: output directory; results in DIR/" + FillMaskJob.RESULTS
          + "/, DIR/manifest.json written last.")
  String output;

  @Option(names = "--text-column", defaultValue = "text",
      description = "Batch mode: the column holding the texts. Default: ${DEFAULT-VALUE}.")
  String textColumn;

  @Option(names = "--batch-size", defaultValue = "32",
      description = "Batch mode: texts per forward pass. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--format", paramLabel = "parquet|json", defaultValue = "parquet",
      description = "Batch mode: output format, Parquet or JSON lines. Default: ${DEFAULT-VALUE}.")
  FillMaskJob.OutputFormat format;

  private final HubSettings hubSettings;

  /** Hub settings from the environment (HF_ENDPOINT, HF_TOKEN, ...), as bin/fill-mask runs. */
  public FillMaskCommand() {
    this(null);
  }

  /** With these hub settings instead of the environment's, for a {@code --model} hub id. */
  public FillMaskCommand(HubSettings hubSettings) {
    this.hubSettings = hubSettings;
  }

  @Override
  public Integer call() throws Exception {
    if (topK < 1) {
      throw new IllegalArgumentException("--top-k must be at least 1");
    }
    boolean batch = inputs != null;
    if (batch && !texts.isEmpty()) {
      throw new IllegalArgumentException("give either TEXT arguments or --input files, not both (with --input the"
          + " texts come from the files; unexpected: " + texts.get(0) + ")");
    }
    if (!batch && texts.isEmpty()) {
      throw new IllegalArgumentException("nothing to fill in: give TEXT arguments, or --input PATH --output DIR for"
          + " a batch job");
    }
    return batch ? runBatch() : printTexts();
  }

  private int printTexts() throws IOException {
    List<String> batchOnly = BATCH_ONLY.stream().filter(spec.commandLine().getParseResult()::hasMatchedOption).toList();
    if (!batchOnly.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", batchOnly) + " only go with --input (batch mode)");
    }
    Configuration conf = HadoopConf.fromSystemProperties();
    HubClient hub = new HubClient(hubSettings != null ? hubSettings : HubSettings.fromEnvironment());
    try (FillMaskModel loaded = FillMaskModel.open(ModelDirectory.resolve(model, conf, hub))) {
      FillMask fillMask = loaded.fillMask();
      texts.forEach(fillMask::requireMask); // every text checked before any output
      for (String text : texts) {
        List<List<FillMask.Prediction>> perMask = fillMask.predict(text, topK);
        System.out.println(JSON.writeValueAsString(perMask.size() == 1 ? perMask.get(0) : perMask));
      }
    }
    return 0;
  }

  private int runBatch() throws IOException {
    if (output == null) {
      throw new IllegalArgumentException("--input needs --output DIR for the results");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1");
    }
    Configuration hadoop = Sessions.hadoopConfiguration();
    List<String> locations = new ArrayList<>(inputs);
    locations.addAll(List.of(output, model));
    ObjectStoreProbe.requireReachable(locations, hadoop);
    InputFiles files = InputFiles.list(inputs, EnumSet.allOf(InputFiles.Format.class), hadoop);
    String location = executorLocation(model, hadoop);
    // Loaded here first: a bad model fails before Spark starts, and in local mode the tasks share this copy.
    FillMaskModel.shared(location, hadoop);
    FillMaskJob.Settings settings =
        new FillMaskJob.Settings(model, location, topK, textColumn, batchSize, format);
    long start;
    FillMaskManifest manifest;
    Path committed;
    try (AtomicOutput out = AtomicOutput.prepare(new Path(output), Set.of(FillMaskJob.RESULTS), hadoop)) {
      SparkSession spark = Sessions.getOrCreate("mlm-spark fill-mask");
      start = System.nanoTime();
      manifest = TaskFailures.oneLine(() -> new FillMaskJob(spark, settings, files).run(out.staging()));
      out.commit(manifest.toJson(), (fs, staged) -> {
        Path results = new Path(staged, FillMaskJob.RESULTS);
        StagedRows.require(results, format == FillMaskJob.OutputFormat.PARQUET ? StagedRows.parquet(fs, results)
            : StagedRows.jsonLines(fs, results), manifest.rows().read());
      });
      committed = out.output();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    FillMaskManifest.Rows rows = manifest.rows();
    LOG.info("Wrote {}: {} rows in {} s ({} texts/s), {} predicted, {} with an error{}", committed, rows.read(),
        String.format("%.1f", seconds), String.format("%.1f", rows.read() / seconds), rows.predicted(), rows.errors(),
        rows.errors() == 0 ? "" : " " + rows.errorsByMessage());
    return 0;
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

  public static void main(String[] args) {
    Cli.exit(new FillMaskCommand(), args);
  }
}
