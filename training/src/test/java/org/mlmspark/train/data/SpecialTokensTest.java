package org.mlmspark.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mlmspark.testing.TestData;
import org.mlmspark.tokenizer.SpecialTokens;

class SpecialTokensTest {
  @Test
  void distilrobertaSpecialIdsAreTransformersAllSpecialIds() throws Exception {
    SpecialTokens tokens = SpecialTokens.load(TestData.distilrobertaTokenizer());
    // transformers 5.17: AutoTokenizer.from_pretrained(...).all_special_ids == [0, 2, 3, 1, 50264], len 50265
    assertArrayEquals(new int[] {0, 1, 2, 3, 50264}, tokens.ids());
    assertEquals(50264, tokens.maskId());
    assertEquals(1, tokens.padId());
    assertEquals(50265, tokens.vocabSize());
  }

  @Test
  void padAsEosMakesTheOldPadAWord() throws Exception {
    SpecialTokens tokens = SpecialTokens.load(TestData.require("fixtures/hf/tiny-roberta/model")).withPadAsEos();
    // after tokenizer.pad_token = tokenizer.eos_token, transformers' all_special_ids is [0, 2, 3, 50264]
    assertArrayEquals(new int[] {0, 2, 3, 50264}, tokens.ids());
    assertEquals(2, tokens.padId());
  }

  @Test
  void readsAddedTokenObjectsAndExtraSpecialTokens() throws Exception {
    String config = """
        {"cls_token": {"content": "[CLS]", "special": true}, "sep_token": "[SEP]", "pad_token": "[PAD]",
         "mask_token": "[MASK]", "unk_token": "[UNK]", "additional_special_tokens": ["[X]"]}""";
    String tokenizer = """
        {"added_tokens": [{"id": 5, "content": "[X]"}],
         "model": {"vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4, "a": 6, "b": 7}}}""";
    SpecialTokens tokens = SpecialTokens.parse(bytes(config), bytes(tokenizer));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, tokens.ids());
    assertEquals(4, tokens.maskId());
    assertEquals(8, tokens.vocabSize());
  }

  @Test
  void rejectsASpecialTokenOutsideTheVocabulary() {
    var error = assertThrows(IllegalArgumentException.class,
        () -> SpecialTokens.parse(bytes("{\"mask_token\": \"<mask>\"}"), bytes("{\"model\": {\"vocab\": {\"a\": 0}}}")));
    assertTrue(error.getMessage().contains("<mask>"), error.getMessage());
  }

  @Test
  void rejectsADirectoryWithoutTokenizerFiles() {
    assertThrows(java.io.IOException.class, () -> SpecialTokens.load(Path.of("/nonexistent")));
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
