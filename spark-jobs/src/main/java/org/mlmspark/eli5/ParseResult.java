package org.mlmspark.eli5;

import java.util.List;

/** What {@link Eli5Parser} makes of one input record: a question with its answers, or a rejection. */
public sealed interface ParseResult {

  /** The fields preprocessing uses; the answers in record order. */
  record Question(String qId, String subreddit, List<String> answerTexts) implements ParseResult {}

  record Rejected(RejectReason reason, String detail) implements ParseResult {}
}
