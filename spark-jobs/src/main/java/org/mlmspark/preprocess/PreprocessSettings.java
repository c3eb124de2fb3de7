package org.mlmspark.preprocess;

import java.util.List;
import java.util.Set;
import org.mlmspark.cli.UserError;

/**
 * Everything a preprocessing run depends on; recorded in the manifest.
 *
 * @param limit first N selected rows in input order, or null for all
 * @param subreddit keep only this subreddit (case-insensitive), or null for all
 * @param shards Parquet files per split, or null for one per Spark core
 * @param schema {@code auto}, {@code eli5} or {@code eli5_category}
 * @param batchRows rows per {@code group_texts} batch (the guide's {@code map(batched=True)} default, 1,000)
 * @param maxRejectFraction fail when more than this fraction of the records is rejected
 * @param maxTextChars reject questions whose joined answers are longer
 * @param wordStarts also write {@code word_start} per token, for whole-word masking
 */
public record PreprocessSettings(
    List<String> inputs,
    String output,
    String tokenizer,
    Long limit,
    String subreddit,
    double testSize,
    long seed,
    int blockSize,
    Integer shards,
    String schema,
    GroupBy groupBy,
    int batchRows,
    double maxRejectFraction,
    int maxTextChars,
    boolean wordStarts) {

  /** The guide's tokenizer, {@code bin/preprocess}'s default. */
  public static final String GUIDE_TOKENIZER = "distilroberta-base";

  public static final Set<String> SCHEMAS = Set.of("auto", "eli5", "eli5_category");

  /** Rejects settings no run could use, with the flag's name in the message. */
  public PreprocessSettings {
    inputs = List.copyOf(inputs);
    require(!inputs.isEmpty(), "--input needs at least one path");
    require(limit == null || limit > 0, "--limit must be positive");
    require(testSize >= 0 && testSize < 1, "--test-size must be in [0, 1)");
    require(blockSize > 0, "--block-size must be positive");
    require(shards == null || shards > 0, "--shards must be positive");
    require(SCHEMAS.contains(schema), "--schema must be one of auto, eli5, eli5_category");
    require(batchRows > 0, "--batch-rows must be positive");
    require(maxRejectFraction >= 0 && maxRejectFraction <= 1, "--max-reject-fraction must be in [0, 1]");
    require(maxTextChars > 0, "--max-text-chars must be positive");
  }

  /**
   * The guide's preprocessing of {@code inputs}, as {@code bin/preprocess} does it by default:
   * {@code train_test_split(test_size=0.2, seed=42)}, 128-token blocks, {@code group_texts} per 1,000-row batch.
   */
  public static PreprocessSettings guide(List<String> inputs, String output, String tokenizer) {
    return new PreprocessSettings(inputs, output, tokenizer, null, null, 0.2, 42, 128, null, "auto", GroupBy.BATCH,
        1000, 0.01, 1_000_000, false);
  }

  /** The same settings writing to {@code dir}. */
  public PreprocessSettings withOutput(String dir) {
    return new PreprocessSettings(inputs, dir, tokenizer, limit, subreddit, testSize, seed, blockSize, shards, schema,
        groupBy, batchRows, maxRejectFraction, maxTextChars, wordStarts);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new UserError(message);
    }
  }
}
