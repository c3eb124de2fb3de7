package org.mlmspark.preprocess.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.mlmspark.Version;
import org.mlmspark.cli.Cli;
import org.mlmspark.preprocess.GroupBy;
import org.mlmspark.preprocess.PreprocessSettings;
import org.mlmspark.preprocess.Preprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/preprocess}: the flags of {@link Preprocessing}. */
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
  @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
      description = "Files, directories or globs (local, file://, s3a://): JSON lines (.jsonl, .json, .json.gz) "
          + "or Parquet. Read in path order, rows in file order.")
  List<String> inputs;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Output directory: train/, test/ (Parquet: input_ids, attention_mask), manifest.json;"
          + " _rejects/ when a record was rejected.")
  String output;

  @Option(names = "--tokenizer", paramLabel = "ID|DIR|FILE", defaultValue = PreprocessSettings.GUIDE_TOKENIZER,
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
    Preprocessing.run(settings());
    return Cli.OK;
  }

  static final class VersionProvider implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"mlm-spark preprocess " + Version.VERSION};
    }
  }
}
