package org.mlmspark.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.mlmspark.support.Hashing;
import org.mlmspark.tokenizer.TokenIdEncoder;

/** Token counts computed straight from JSON records, without Spark: the oracle for job totals. */
public final class ExpectedTokens {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExpectedTokens() {}

  public static TokenIdEncoder encoder() {
    try {
      byte[] json = Files.readAllBytes(TestData.distilrobertaTokenizer().resolve("tokenizer.json"));
      return TokenIdEncoder.shared(Hashing.sha256Hex(json), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Tokens of {@code " ".join(answers.text)} with special tokens, for one JSON record. */
  public static int of(String jsonRecord) {
    try {
      List<String> texts = new ArrayList<>();
      for (JsonNode text : JSON.readTree(jsonRecord).get("answers").get("text")) {
        texts.add(text.textValue());
      }
      return encoder().encode(String.join(" ", texts)).length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static long of(List<String> jsonRecords) {
    return jsonRecords.stream().mapToLong(ExpectedTokens::of).sum();
  }

  public static String qId(String jsonRecord) {
    try {
      return JSON.readTree(jsonRecord).get("q_id").textValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
