package org.mlmspark.eli5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mlmspark.eli5.ParseResult.Question;
import org.mlmspark.eli5.ParseResult.Rejected;
import org.mlmspark.testing.TestData;

class Eli5ParserTest {
  private static final String GOOD =
      "{\"q_id\":\"q1\",\"title\":\"Why?\",\"selftext\":\"\",\"document\":\"\",\"subreddit\":\"askscience\","
          + "\"answers\":{\"a_id\":[\"a\",\"b\"],\"text\":[\"First answer.\",\"Second one.\"],\"score\":[3,1]},"
          + "\"title_urls\":{\"url\":[]},\"selftext_urls\":{\"url\":[]},\"answers_urls\":{\"url\":[]}}";

  private final Eli5Parser parser = new Eli5Parser(Eli5Schema.ELI5, 1000);

  private ParseResult parse(String line) {
    return parser.parse(line.getBytes(StandardCharsets.UTF_8));
  }

  private RejectReason reasonOf(String line) {
    return assertInstanceOf(Rejected.class, parse(line)).reason();
  }

  @Test
  void extractsQuestionAndAnswersInOrder() {
    Question q = assertInstanceOf(Question.class, parse(GOOD));
    assertEquals("q1", q.qId());
    assertEquals("askscience", q.subreddit());
    assertEquals(List.of("First answer.", "Second one."), q.answerTexts());
  }

  @Test
  void rejectsBrokenRecordsWithTheirReason() {
    assertEquals(RejectReason.MALFORMED_JSON, reasonOf("{\"q_id\": \"q1\", "));
    assertEquals(RejectReason.MALFORMED_JSON, reasonOf(GOOD + " trailing"));
    assertEquals(RejectReason.MALFORMED_JSON, reasonOf("[1, 2]"));
    assertEquals(RejectReason.MISSING_FIELD, reasonOf(GOOD.replace("\"q_id\":\"q1\",", "")));
    assertEquals(RejectReason.MISSING_FIELD, reasonOf(GOOD.replace("\"q_id\":\"q1\"", "\"q_id\":\" \"")));
    assertEquals(RejectReason.NULL_FIELD, reasonOf(GOOD.replace("\"subreddit\":\"askscience\"", "\"subreddit\":null")));
    assertEquals(RejectReason.NULL_FIELD, reasonOf(GOOD.replace("\"Second one.\"", "null")));
    assertEquals(RejectReason.WRONG_TYPE, reasonOf(GOOD.replace("\"title\":\"Why?\"", "\"title\":42")));
    assertEquals(RejectReason.WRONG_TYPE, reasonOf(GOOD.replace("\"Second one.\"", "7")));
    assertEquals(RejectReason.WRONG_TYPE, reasonOf(GOOD.replace("[3,1]", "[3]")));
    assertEquals(RejectReason.WRONG_TYPE, reasonOf(GOOD.replace("[3,1]", "[3,\"x\"]")));
    assertEquals(RejectReason.WRONG_TYPE, reasonOf(GOOD.replace("\"document\":\"\"", "\"document\":[]")));
    assertEquals(
        RejectReason.EMPTY_ANSWERS,
        reasonOf(GOOD.replace("[\"a\",\"b\"]", "[]").replace("[\"First answer.\",\"Second one.\"]", "[]")
            .replace("[3,1]", "[]")));
    assertEquals(RejectReason.UNPAIRED_SURROGATE, reasonOf(GOOD.replace("First answer.", "bad \\ud800 half")));
    assertEquals(
        RejectReason.TEXT_TOO_LONG, reasonOf(GOOD.replace("First answer.", "x".repeat(1000))));
  }

  @Test
  void rejectsInvalidUtf8AndSaysWhere() {
    byte[] line = GOOD.getBytes(StandardCharsets.UTF_8);
    line[10] = (byte) 0xC3; // a lead byte followed by an ASCII byte
    Rejected r = assertInstanceOf(Rejected.class, parser.parse(line));
    assertEquals(RejectReason.INVALID_UTF8, r.reason());
    assertTrue(r.detail().contains("byte 10"), r.detail());
  }

  @Test
  void optionalFieldsMayBeMissingOrNull() {
    assertInstanceOf(Question.class, parse(GOOD.replace("\"selftext\":\"\",", "").replace("\"document\":\"\"", "\"document\":null")));
  }

  @Test
  void acceptsAllRealEli5CategoryRows() throws IOException {
    Path dir = TestData.require("data/eli5_category_sample");
    Eli5Parser categoryParser = new Eli5Parser(Eli5Schema.ELI5_CATEGORY, 1_000_000);
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.sorted().toList();
    }
    int rows = 0;
    for (Path file : files) {
      for (String line : Files.readAllLines(file)) {
        assertEquals(
            Eli5Schema.ELI5_CATEGORY,
            Eli5Schema.detect(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line)));
        Question q = assertInstanceOf(Question.class, categoryParser.parse(line.getBytes(StandardCharsets.UTF_8)));
        assertEquals("explainlikeimfive", q.subreddit());
        assertTrue(!q.answerTexts().isEmpty());
        rows++;
      }
    }
    assertEquals(20, rows);
  }
}
