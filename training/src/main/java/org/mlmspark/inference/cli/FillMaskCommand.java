package org.mlmspark.inference.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.mlmspark.cli.Cli;
import org.mlmspark.hub.HubSettings;
import org.mlmspark.inference.FillMaskBatch;
import org.mlmspark.inference.FillMaskJob;
import org.mlmspark.inference.FillMaskRun;
import org.mlmspark.inference.FillMasking;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/fill-mask}: with TEXT arguments, prints per text the JSON that {@code pipeline("fill-mask")(text)}
 * returns ({@link FillMasking#predict}); with {@code --input}, runs the same over files as a Spark job
 * ({@link FillMasking#runBatch}).
 */
@Command(name = "fill-mask", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
      "Predicts the masked word(s) of each TEXT; one JSON array per text, in HF pipeline format.",
      "With --input/--output instead of TEXT: a Spark batch job over files, results as Parquet or JSON lines "
          + "(the input columns plus 'predictions' and 'error'); OUTPUT/manifest.json is written last."
    })
public final class FillMaskCommand implements Callable<Integer>, Cli.Interruptible {
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
  public Integer call() throws IOException {
    boolean batch = inputs != null;
    if (batch && !texts.isEmpty()) {
      throw new IllegalArgumentException("give either TEXT arguments or --input files, not both (with --input the"
          + " texts come from the files; unexpected: " + texts.get(0) + ")");
    }
    if (!batch && texts.isEmpty()) {
      throw new IllegalArgumentException("nothing to fill in: give TEXT arguments, or --input PATH --output DIR for"
          + " a batch job");
    }
    if (batch) {
      FillMasking.runBatch(new FillMaskBatch(inputs, output, model, topK, textColumn, batchSize, format));
      return Cli.OK;
    }
    FillMaskRun run = new FillMaskRun(model, topK, hubSettings);
    List<String> batchOnly = BATCH_ONLY.stream().filter(spec.commandLine().getParseResult()::hasMatchedOption).toList();
    if (!batchOnly.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", batchOnly) + " only go with --input (batch mode)");
    }
    for (FillMasking.TextPredictions predictions : FillMasking.predict(run, texts)) {
      System.out.println(predictions.json());
    }
    return Cli.OK;
  }

  /** Batch mode writes an output, which an interrupt leaves as it was; text mode writes nothing. */
  @Override
  public String interruptedLine() {
    return output == null ? "interrupted" : "interrupted: " + output + " left as it was";
  }

  public static void main(String[] args) {
    Cli.exit(new FillMaskCommand(), args);
  }
}
