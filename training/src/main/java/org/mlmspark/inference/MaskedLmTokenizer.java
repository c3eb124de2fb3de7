package org.mlmspark.inference;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.support.Json;
import org.mlmspark.tokenizer.TokenizerFiles;

/**
 * A model directory's {@code tokenizer.json} (DJL HuggingFaceTokenizer) with what the fill-mask pipeline reads from
 * {@code tokenizer_config.json}: the mask and pad tokens and whether decoding cleans up tokenization spaces.
 */
public final class MaskedLmTokenizer implements AutoCloseable {
  private static final ObjectMapper JSON = Json.mapper();

  private final HuggingFaceTokenizer tokenizer;
  private final String maskToken;
  private final long maskId;
  private final long padId;
  private final boolean cleanUpSpaces;
  private final int maxLength;

  private MaskedLmTokenizer(HuggingFaceTokenizer tokenizer, JsonNode config, int maxLength) {
    this.tokenizer = tokenizer;
    this.maskToken = token(config, "mask_token", "<mask>");
    this.maskId = singleId(maskToken);
    this.padId = singleId(token(config, "pad_token", "<pad>"));
    // transformers 5 defaults clean_up_tokenization_spaces to false; older tokenizer_configs may say true.
    this.cleanUpSpaces = config.path("clean_up_tokenization_spaces").asBoolean(false);
    this.maxLength = maxLength;
  }

  /**
   * @param maxLength the longest id sequence the model can number (its positions), special tokens included
   */
  public static MaskedLmTokenizer open(ModelDirectory dir, int maxLength) throws IOException {
    JsonNode config = dir.has(TokenizerFiles.CONFIG)
        ? json(dir, TokenizerFiles.CONFIG)
        : JSON.createObjectNode();
    // Checked as JSON first: the native parser's errors name neither the file nor the place.
    byte[] tokenizerJson = dir.read(TokenizerFiles.TOKENIZER);
    json(dir, TokenizerFiles.TOKENIZER);
    // DJL truncates at 512 by default, unlike HF's tokenizer(text); truncation happens explicitly in encode().
    Map<String, String> options = Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true");
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options);
    } catch (RuntimeException e) { // the native library's own error: an unknown model type, a missing field, ...
      throw new IllegalArgumentException(dir + "/tokenizer.json is not a tokenizer the tokenizers library can load ("
          + firstLine(e.getMessage()) + ")");
    }
    try {
      return new MaskedLmTokenizer(tokenizer, config, maxLength);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  private static JsonNode json(ModelDirectory dir, String file) throws IOException {
    try {
      JsonNode node = JSON.readTree(dir.read(file));
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException(dir + "/" + file + " is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(dir + "/" + file + " is not valid JSON (" + e.getOriginalMessage() + ")");
    }
  }

  private static String firstLine(String message) {
    return message == null ? "no message" : message.lines().findFirst().orElse("no message");
  }

  public String maskToken() {
    return maskToken;
  }

  public long maskId() {
    return maskId;
  }

  public long padId() {
    return padId;
  }

  /**
   * The ids of {@code text} with special tokens, cut to the model's length keeping the closing special token (as
   * HF's truncation=True does); the pipeline itself would fail on longer inputs.
   */
  public long[] encode(String text) {
    long[] ids = tokenizer.encode(text).getIds();
    if (ids.length <= maxLength) {
      return ids;
    }
    long[] cut = Arrays.copyOf(ids, maxLength);
    cut[maxLength - 1] = ids[ids.length - 1];
    return cut;
  }

  /** tokenizer.decode(ids, skip_special_tokens=...) of transformers, including its optional space clean-up. */
  public String decode(long[] ids, boolean skipSpecialTokens) {
    String text = tokenizer.decode(ids, skipSpecialTokens);
    return cleanUpSpaces ? cleanUpTokenization(text) : text;
  }

  /** transformers' PreTrainedTokenizerBase.clean_up_tokenization. */
  static String cleanUpTokenization(String text) {
    return text.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
        .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
        .replace(" 've", "'ve").replace(" 're", "'re");
  }

  private long singleId(String token) {
    long[] ids = tokenizer.encode(token, false, false).getIds();
    if (ids.length != 1) {
      throw new IllegalArgumentException("special token " + token + " is not a single token of tokenizer.json");
    }
    return ids[0];
  }

  /** A special token as tokenizer_config.json writes it: a string, or an AddedToken object with "content". */
  private static String token(JsonNode config, String field, String fallback) {
    JsonNode node = config.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    return node.isObject() ? node.path("content").asText(fallback) : node.asText();
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
