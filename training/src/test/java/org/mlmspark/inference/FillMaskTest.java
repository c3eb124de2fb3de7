package org.mlmspark.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.testing.TestData;

/** fill-mask against HF's pipeline("fill-mask") output recorded in tiny-roberta/fill_mask.json. */
class FillMaskTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static NDManager manager;
  private static MaskedLmTokenizer tokenizer;
  private static FillMask fillMask;
  private static Path fixture;

  @BeforeAll
  static void load() throws Exception {
    fixture = TestData.require("fixtures/hf/tiny-roberta");
    ModelDirectory dir = ModelDirectory.of(new org.apache.hadoop.fs.Path(fixture.resolve("model").toUri()),
        new Configuration());
    manager = NDManager.newBaseManager();
    MaskedLmModel model = Checkpoints.load(dir, manager).model();
    tokenizer = MaskedLmTokenizer.open(dir, model.family().maxSequenceLength(model.config()));
    fillMask = new FillMask(model, tokenizer, manager);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
    manager.close();
  }

  @Test
  void topFiveEqualsThePipeline() throws Exception {
    JsonNode expected = JSON.readTree(fixture.resolve("fill_mask.json").toFile());
    List<List<FillMask.Prediction>> result =
        fillMask.predict(expected.get("text").asText(), expected.get("top_k").asInt());
    assertEquals(1, result.size());
    JsonNode actual = JSON.valueToTree(result.get(0));
    assertEquals(expected.get("result").size(), actual.size());
    for (int i = 0; i < actual.size(); i++) {
      JsonNode want = expected.get("result").get(i);
      JsonNode got = actual.get(i);
      assertEquals(List.of("score", "token", "token_str", "sequence"), fieldNames(got));
      assertEquals(want.get("token").asLong(), got.get("token").asLong());
      assertEquals(want.get("token_str").asText(), got.get("token_str").asText());
      assertEquals(want.get("sequence").asText(), got.get("sequence").asText());
      double rel = Math.abs(got.get("score").asDouble() - want.get("score").asDouble()) / want.get("score").asDouble();
      assertTrue(rel < 1e-5, "score " + got.get("score") + " vs " + want.get("score"));
    }
  }

  @Test
  void severalMasksGiveOneListPerMaskKeepingSpecialTokens() {
    List<List<FillMask.Prediction>> result = fillMask.predict("A <mask> and a <mask>.", 2);
    assertEquals(2, result.size());
    // As the pipeline decodes with skip_special_tokens=False when there are several masks.
    assertTrue(result.get(0).get(0).sequence().startsWith("<s>A "), result.toString());
    assertTrue(result.get(0).get(0).sequence().contains("<mask>"), result.toString());
  }

  @Test
  void aBatchGivesEachTextTheResultsItHasAlone() {
    List<String> texts = Arrays.asList(
        "The Milky Way is a <mask> galaxy.",
        "Water boils at one hundred degrees <mask> at sea level, and the boiling point drops as you climb higher"
            + " because the air pressure is lower up there.",
        "No mask here.",
        null,
        "A <mask> and a <mask>.",
        "<mask>");
    List<FillMask.Result> batch = fillMask.predictAll(texts, 5);
    assertEquals(texts.size(), batch.size());
    for (int i = 0; i < texts.size(); i++) {
      FillMask.Result result = batch.get(i);
      String text = texts.get(i);
      if (text == null) {
        assertEquals(new FillMask.Result(null, FillMask.NULL_TEXT), result);
      } else if (!text.contains("<mask>")) {
        assertEquals(new FillMask.Result(null, "No mask_token (<mask>) found on the input"), result);
      } else {
        assertEquals(null, result.error());
        SameResults.assertSame(fillMask.predict(text, 5), result.predictions(), text);
      }
    }
  }

  @Test
  void textWithoutMaskIsAnError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> fillMask.predict("No mask here.", 5));
    assertTrue(e.getMessage().startsWith("No mask_token (<mask>) found on the input"), e.getMessage());
  }

  @Test
  void longTextsAreCutToTheModelsPositionsKeepingTheClosingToken() {
    long[] ids = tokenizer.encode("word ".repeat(1000) + "<mask>.");
    assertEquals(512, ids.length);
    assertEquals(2, ids[511]); // </s>
  }

  @Test
  void djlDoesNotTruncateOnItsOwn() throws Exception {
    ModelDirectory dir = ModelDirectory.of(new org.apache.hadoop.fs.Path(fixture.resolve("model").toUri()),
        new Configuration());
    try (MaskedLmTokenizer wide = MaskedLmTokenizer.open(dir, 4096)) {
      assertEquals(602, wide.encode("word ".repeat(600).trim()).length);
    }
  }

  @Test
  void cleanUpTokenizationMatchesTransformers() {
    assertEquals("Hello, world. I don't know! It's", 
        MaskedLmTokenizer.cleanUpTokenization("Hello , world . I do n't know ! It 's"));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
