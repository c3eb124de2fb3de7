package org.mlmspark.preprocess;

import java.util.List;

/** The guide's {@code " ".join(x) for x in examples["answers.text"]}: one text per question. */
public final class AnswerJoiner {
  private AnswerJoiner() {}

  public static String join(List<String> answerTexts) {
    return String.join(" ", answerTexts);
  }
}
