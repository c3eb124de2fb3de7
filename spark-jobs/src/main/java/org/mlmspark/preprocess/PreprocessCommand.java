package org.mlmspark.preprocess;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.Version;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.UserError;
import org.mlmspark.eli5.Eli5Schema;
import org.mlmspark.spark.Sessions;
import org.mlmspark.spark.TaskFailures;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.storage.InputFiles;
import org.mlmspark.storage.ObjectStoreProbe;
import org.mlmspark.storage.StagedRows;
import org.mlmspark.tokenizer.ResolvedTokenizer;
import org.mlmspark.tokenizer.TokenIdEncoder;
import org.mlmspark.tokenizer.TokenizerResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/preprocess}: checks everything it can before Spark starts, runs the job, commits the output. */
@Command(
    name = "preprocess",
    mixinStandardHelpOptions = true,
    versionProvider = PreprocessCommand.VersionProvider.class,
    sortOptions = false,
    description = {
      "ELI5 questions -> train/test Parquet shards of token blocks for masked-language-model training, as the "
          + "Hugging Face guide prepares them (flatten, join answers, tokenize, group_texts).",
      "The output is replaced only by a complete new one; OUTPUT/manifest.json is written last."
    })
public final class PreprocessCommand implements Callable<Integer>, Cli.Interruptible {
  private static final Logger LOG = LoggerFactory.getLogger(PreprocessCommand.class);

  @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
      description = "Files, directories or globs (local, file://, s3a://): JSON lines (.jsonl, .json, .json.gz) "
          + "or Parquet. Read in path order, rows in file order.")
  List<String> inputs;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Output directory: train/, test/ (Parquet: input_ids, attention_mask), manifest.json;"
          + " _rejects/ when a record was rejected.")
  String output;

  @Option(names = "--tokenizer", paramLabel = "ID|DIR|FILE", defaultValue = "distilroberta-base",
      description = "HF hub id, a directory holding tokenizer.json, or the file (local or s3a://). Default: ${DEFAULT-VALUE}.")
  String tokenizer;

  @Option(names = "--limit", paramLabel = "N", description = "Only the first N questions in input order (after --subreddit).")
  Long limit;

  @Option(names = "--subreddit", paramLabel = "NAME", description = "Only questions from this subreddit (case-insensitive).")
  String subreddit;

  @Option(names = "--test-size", paramLabel = "F", defaultValue = "0.2",
      description = "Fraction of questions in test, by a hash of q_id and seed; 0 = no test split. Default: ${DEFAULT-VALUE}.")
  double testSize;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the train/test split. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--block-size", paramLabel = "N", defaultValue = "128", description = "Tokens per block. Default: ${DEFAULT-VALUE}.")
  int blockSize;

  @Option(names = "--shards", paramLabel = "N", description = "Parquet files per split. Default: one per Spark core.")
  Integer shards;

  @Option(names = "--schema", paramLabel = "auto|eli5|eli5_category", defaultValue = "auto",
      description = "Input layout; auto tells by the first record (eli5_category has 'category'). Default: ${DEFAULT-VALUE}.")
  String schema;

  @Option(names = "--group-by", paramLabel = "batch|partition", defaultValue = "batch",
      description = "batch: group_texts per --batch-rows rows in input order, exactly as the guide's batched map. "
          + "partition: per Spark partition (drops fewer tokens; blocks differ from the guide's). Default: ${DEFAULT-VALUE}.")
  GroupBy groupBy;

  @Option(names = "--batch-rows", paramLabel = "N", defaultValue = "1000",
      description = "Rows per group_texts batch (the guide's map batch size). Default: ${DEFAULT-VALUE}.")
  int batchRows;

  @Option(names = "--max-reject-fraction", paramLabel = "F", defaultValue = "0.01",
      description = "Fail when more than this fraction of records is rejected. Default: ${DEFAULT-VALUE}.")
  double maxRejectFraction;

  @Option(names = "--max-text-chars", paramLabel = "N", defaultValue = "1000000",
      description = "Reject questions whose joined answers are longer. Default: ${DEFAULT-VALUE}.")
  int maxTextChars;

  @Option(names = "--word-starts", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
      defaultValue = "false",
      description = "Also write word_start (1 where a token starts a word, from the tokenizer's offsets as "
          + "transformers' whole-word masking finds words), which bin/train --whole-word-mask needs. Default: "
          + "${DEFAULT-VALUE}.")
  boolean wordStarts;

  @Override
  public String interruptedLine() {
    return output == null ? "interrupted" : "interrupted: " + output + " left as it was";
  }

  public static void main(String[] args) {
    Cli.exit(new PreprocessCommand(), args);
  }

  /** The parsed flags as settings; rejects values no run could use (bin/pipeline checks its config with it). */
  public PreprocessSettings settings() {
    return new PreprocessSettings(inputs, output, tokenizer, limit, subreddit, testSize, seed, blockSize, shards,
        schema, groupBy, batchRows, maxRejectFraction, maxTextChars, wordStarts);
  }

  @Override
  public Integer call() throws IOException {
    PreprocessSettings settings = settings();
    Configuration hadoop = Sessions.hadoopConfiguration();
    List<String> locations = new ArrayList<>(settings.inputs());
    locations.addAll(List.of(settings.output(), settings.tokenizer()));
    ObjectStoreProbe.requireReachable(locations, hadoop);

    InputFiles files = listInputs(settings, hadoop);
    // Spark starts (~2 s) while the tokenizer loads (~1 s) and the checks below run: 10,000 rows take ~10 % less
    // (docs/preprocess.md, "Start-up"). A failing check still ends the run at once with its own one-line error.
    CompletableFuture<SparkSession> spark = CompletableFuture.supplyAsync(() -> Sessions.getOrCreate("mlm-spark preprocess"));
    ResolvedTokenizer resolved = loadTokenizer(settings, hadoop);
    Eli5Schema layout = settings.schema().equals("auto")
        ? Eli5SchemaDetector.detect(files.files().get(0), hadoop)
        : Eli5Schema.fromCliName(settings.schema());
    LOG.info("Input: {} files, {} bytes, read as {}{}", files.files().size(), files.totalBytes(), layout.cliName(),
        settings.schema().equals("auto") ? " (detected)" : "");
    Manifest manifest;
    Path committed;
    try (AtomicOutput out = AtomicOutput.prepare(
        new Path(settings.output()), Set.of(Manifest.TRAIN, Manifest.TEST, Manifest.REJECTS), hadoop)) {
      manifest = TaskFailures.oneLine(() -> new PreprocessJob(spark.join(), settings, resolved, files, layout)
          .run(out.staging()));
      out.commit(manifest.toJson(), (fs, staged) -> {
        for (Map.Entry<String, Manifest.Split> split : manifest.splits().entrySet()) {
          Path dir = new Path(staged, split.getKey());
          StagedRows.require(dir, StagedRows.parquet(fs, dir), split.getValue().blocks());
        }
      });
      committed = out.output();
    }
    Manifest.Split train = manifest.splits().get(Manifest.TRAIN);
    Manifest.Split test = manifest.splits().get(Manifest.TEST);
    LOG.info("Wrote {}: train {} rows -> {} blocks, test {} rows -> {} blocks; {} tokens, {} dropped; {} records rejected",
        committed, train.rows(), train.blocks(), test.rows(), test.blocks(), train.tokens() + test.tokens(),
        train.tokensDropped() + test.tokensDropped(), manifest.rows().rejected());
    return 0;
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

  static final class VersionProvider implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"mlm-spark preprocess " + Version.VERSION};
    }
  }
}
