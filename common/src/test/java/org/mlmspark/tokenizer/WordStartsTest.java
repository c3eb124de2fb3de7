package org.mlmspark.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlmspark.testing.TestData;

/**
 * The word starts bin/preprocess --word-starts records are those transformers' whole-word masking finds from the
 * fast tokenizer's offsets (testdata/wwm, tools/wwm_fixture.py): texts of the bundled sample and harder ones
 * (accents, CJK, emoji split into bytes, runs of spaces, a literal {@code <mask>}).
 */
class WordStartsTest {
  @Test
  void wordStartsAreTransformersOnesForTheSameTexts() throws Exception {
    JsonNode fixture = new ObjectMapper().readTree(
        TestData.require("wwm/distilroberta-wwm.json").toFile());
    List<String> texts = new ArrayList<>();
    fixture.get("texts").forEach(t -> texts.add(t.get("text").asText()));
    byte[] json = Files.readAllBytes(TestData.distilrobertaTokenizer().resolve("tokenizer.json"));
    for (TokenIdEncoder.Engine engine : TokenIdEncoder.Engine.values()) {
      try (TokenIdEncoder encoder = TokenIdEncoder.load(json, engine)) {
        TokenIdEncoder.WithWordStarts[] encoded = encoder.encodeWithWordStarts(texts.toArray(String[]::new));
        for (int i = 0; i < texts.size(); i++) {
          JsonNode expected = fixture.get("texts").get(i);
          assertArrayEquals(ints(expected.get("input_ids")), encoded[i].ids(), "ids of text " + i);
          assertArrayEquals(encoder.encode(texts.get(i)), encoded[i].ids(), "the encoder's own ids, text " + i);
          assertArrayEquals(ints(expected.get("word_start")), encoded[i].wordStarts(), "word starts of text " + i);
        }
      }
    }
  }

  @Test
  void aWordIsARunOfTouchingTokens() {
    // <s> Hello , world ! </s> with "Hello" 0-5, "," 5-6, " world" trimmed to 7-12, "!" 12-13
    int[] ids = {0, 10, 11, 12, 13, 2};
    int[] starts = {0, 0, 5, 7, 12, 0};
    int[] ends = {0, 5, 6, 12, 13, 0};
    assertArrayEquals(new int[] {0, 1, 0, 1, 0, 0}, WordStarts.of(ids, starts, ends, id -> id == 0 || id == 2));
    // after a special token a word starts even where the offsets touch
    assertArrayEquals(new int[] {1, 0, 1}, WordStarts.of(new int[] {10, 50, 11}, new int[] {0, 3, 3},
        new int[] {3, 3, 5}, id -> id == 50));
    assertEquals(0, WordStarts.of(new int[0], new int[0], new int[0], id -> false).length);
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }
}
