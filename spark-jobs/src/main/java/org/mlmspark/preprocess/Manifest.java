package org.mlmspark.preprocess;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.mlmspark.storage.InputFiles.InputFile;

/**
 * {@code OUTPUT/manifest.json}: what a preprocessing run read, produced and from what. Written last, it marks
 * the output complete (see {@link org.mlmspark.storage.AtomicOutput}); training reads it to know the data.
 *
 * @param formatVersion layout of this file and the shards
 * @param version project version that wrote it
 * @param schema the ELI5 layout the input was read as
 * @param splits {@code train} and {@code test}
 */
public record Manifest(
    int formatVersion,
    String version,
    String createdAt,
    Input input,
    Tokenizer tokenizer,
    String schema,
    PreprocessSettings settings,
    Rows rows,
    Map<String, Split> splits) {

  public static final int FORMAT_VERSION = 1;
  public static final String TRAIN = "train";
  public static final String TEST = "test";
  public static final String REJECTS = "_rejects";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * @param fingerprint SHA-256 over the files' paths, sizes and modification times
   */
  public record Input(String fingerprint, long bytes, List<InputFile> files) {}

  /**
   * @param fingerprint {@link org.mlmspark.tokenizer.TokenizerFingerprint} of what the tokenizer encodes
   * @param source      which copy was used (hub commit, HF cache, bundled copy, or a path)
   */
  public record Tokenizer(String id, String fingerprint, String source) {}

  /**
   * Input records and where they went: {@code read = rejected + otherSubreddits + beyondLimit + train + test}.
   *
   * @param rejectedByReason reason code to count, see {@link org.mlmspark.eli5.RejectReason}
   */
  public record Rows(
      long read,
      long rejected,
      Map<String, Long> rejectedByReason,
      long otherSubreddits,
      long beyondLimit,
      long train,
      long test) {}

  /**
   * @param tokens ids of all rows, special tokens included
   * @param tokensInBlocks ids written; the rest were batch remainders {@code group_texts} drops
   */
  public record Split(long rows, long tokens, long blocks, long tokensInBlocks, long tokensDropped) {}

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Manifest read(InputStream in) throws IOException {
    return JSON.readValue(in, Manifest.class);
  }
}
