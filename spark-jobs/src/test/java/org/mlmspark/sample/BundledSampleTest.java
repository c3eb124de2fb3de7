package org.mlmspark.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlmspark.testing.TestData;

/** The ELI5-schema sample the README's run command preprocesses (made by tools/eli5-sample/generate.py). */
class BundledSampleTest {
  private static final Path SAMPLE = TestData.projectRoot().resolve("data/eli5-sample/askscience_sample.jsonl");
  private static final List<String> ELI5_FIELDS = List.of("q_id", "title", "selftext", "document", "subreddit",
      "answers", "title_urls", "selftext_urls", "answers_urls");

  @Test
  void everyRowParsesInTheHuggingfaceEli5Schema() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<String> questionIds = new HashSet<>();
    Set<String> answerIds = new HashSet<>();
    int rows = 0;
    int answers = 0;
    for (String line : Files.readAllLines(SAMPLE)) {
      JsonNode row = json.readTree(line);
      rows++;
      assertEquals(ELI5_FIELDS, fieldNames(row), "fields of row " + rows);
      assertEquals("askscience", row.get("subreddit").asText());
      assertTrue(row.get("title").asText().endsWith("?"), row.get("title").asText());
      assertTrue(row.get("selftext").isTextual() && row.get("document").isTextual());
      for (String urls : List.of("title_urls", "selftext_urls", "answers_urls")) {
        assertTrue(row.get(urls).get("url").isArray(), urls);
      }
      JsonNode answer = row.get("answers");
      int count = answer.get("text").size();
      assertTrue(count >= 2 && count <= 4, "answers of " + row.get("q_id"));
      assertEquals(count, answer.get("a_id").size());
      assertEquals(count, answer.get("score").size());
      for (int i = 0; i < count; i++) {
        assertTrue(answer.get("text").get(i).asText().split("[.!?] ").length >= 2, "answer sentences");
        assertTrue(answer.get("score").get(i).isInt());
        assertTrue(answerIds.add(answer.get("a_id").get(i).asText()), "duplicate a_id");
      }
      assertTrue(questionIds.add(row.get("q_id").asText()), "duplicate q_id " + row.get("q_id"));
      answers += count;
    }
    assertEquals(316, rows);
    assertEquals(rows, questionIds.size());
    assertTrue(answers > 2 * rows, "answers: " + answers);
    assertTrue(Files.size(SAMPLE) < 2_000_000, "sample stays small");
  }

  @Test
  void teachesWhatTheFillMaskDemoAsks() throws IOException {
    String text = Files.readString(SAMPLE);
    assertTrue(text.contains("The Milky Way is a barred spiral galaxy"));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
