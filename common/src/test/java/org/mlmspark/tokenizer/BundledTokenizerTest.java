package org.mlmspark.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlmspark.testing.TestData;

/**
 * The bundled distilroberta-base tokenizer is the hub's: its ids are the ones the HF stack produced for the
 * tiny-roberta fixture (made with transformers' own tokenizer), and its directory names the special tokens' roles.
 * {@code PreprocessParityTest} checks it against the guide's blocks on 1,500 rows.
 */
class BundledTokenizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void encodesTheGuidesSentencesWithTheHubIds() throws Exception {
    JsonNode forward = JSON.readTree(TestData.require("fixtures/hf/tiny-roberta/forward.json").toFile());
    List<String> sentences = List.of("The Milky Way is a <mask> galaxy.",
        "Stars form when clouds of gas collapse, and then the gas heats up; the core of the cloud ignites.");
    Path directory = BundledTokenizer.DISTILROBERTA_BASE.directory();
    try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
        .optTokenizerPath(directory.resolve(TokenizerFiles.TOKENIZER)).optTruncation(false).optPadding(false)
        .build()) {
      for (int row = 0; row < sentences.size(); row++) {
        Encoding encoding = tokenizer.encode(sentences.get(row));
        long[] expected = new long[encoding.getIds().length];
        for (int i = 0; i < expected.length; i++) {
          expected[i] = forward.get("input_ids").get(row).get(i).asLong();
        }
        assertArrayEquals(expected, encoding.getIds(), sentences.get(row));
      }
      long[] spiral = tokenizer.encode(" spiral", false, false).getIds();
      assertArrayEquals(new long[] {21300}, spiral, "' spiral' as the hub numbers it");
    }
  }

  @Test
  void itsDirectoryHoldsTheTokenizerAndTheRolesOfItsSpecialTokens() throws Exception {
    Path directory = BundledTokenizer.DISTILROBERTA_BASE.directory();
    assertArrayEquals(BundledTokenizer.DISTILROBERTA_BASE.json(),
        Files.readAllBytes(directory.resolve(TokenizerFiles.TOKENIZER)));
    JsonNode config = JSON.readTree(directory.resolve(TokenizerFiles.CONFIG).toFile());
    assertEquals("<mask>", config.get("mask_token").asText());
    assertEquals("<pad>", config.get("pad_token").asText());
    JsonNode vocab = JSON.readTree(BundledTokenizer.DISTILROBERTA_BASE.json()).path("model").path("vocab");
    assertEquals(50264, vocab.get("<mask>").asInt());
    assertEquals(1, vocab.get("<pad>").asInt());
    assertEquals(50265, vocab.size());
  }

  @Test
  void standsOnlyForTheHubIdsWhoseTokenizerItIs() {
    for (String id : List.of("distilroberta-base", "distilbert/distilroberta-base", "roberta-base",
        "FacebookAI/roberta-base", "DistilRoBERTa-Base")) {
      assertEquals(Optional.of(BundledTokenizer.DISTILROBERTA_BASE), BundledTokenizer.forHubId(id), id);
    }
    for (String id : List.of("gpt2", "roberta-large", "bert-base-uncased", "someone/distilroberta-base")) {
      assertEquals(Optional.empty(), BundledTokenizer.forHubId(id), id);
    }
  }
}
