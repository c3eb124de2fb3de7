package org.mlmspark.eli5;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The two ELI5 record layouts users bring: HF {@code eli5} and {@code eli5_category}. Both carry
 * {@code q_id, title, selftext, subreddit, answers{a_id,text,score}}; {@code eli5} adds {@code document} and
 * {@code answers_urls}, {@code eli5_category} adds {@code category} and {@code answers.text_urls}.
 */
public enum Eli5Schema {
  ELI5("eli5", List.of("document"), List.of()),
  ELI5_CATEGORY("eli5_category", List.of("category"), List.of("text_urls"));

  private final String cliName;
  private final List<String> extraStringFields;
  private final List<String> extraAnswerArrays;

  Eli5Schema(String cliName, List<String> extraStringFields, List<String> extraAnswerArrays) {
    this.cliName = cliName;
    this.extraStringFields = extraStringFields;
    this.extraAnswerArrays = extraAnswerArrays;
  }

  public String cliName() {
    return cliName;
  }

  /** Optional top-level string fields this layout defines beyond the common ones. */
  List<String> extraStringFields() {
    return extraStringFields;
  }

  /** Optional per-answer arrays (parallel to {@code answers.text}) this layout defines. */
  List<String> extraAnswerArrays() {
    return extraAnswerArrays;
  }

  public static Eli5Schema fromCliName(String name) {
    return Arrays.stream(values())
        .filter(s -> s.cliName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown schema " + name));
  }

  /** {@code category} only exists in eli5_category, so its presence decides. */
  public static Eli5Schema detect(Iterator<String> fieldNames) {
    while (fieldNames.hasNext()) {
      if (fieldNames.next().equals("category")) {
        return ELI5_CATEGORY;
      }
    }
    return ELI5;
  }

  public static Eli5Schema detect(JsonNode record) {
    return detect(record.fieldNames());
  }
}
