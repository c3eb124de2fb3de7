package org.mlmspark.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlmspark.support.Hashing;
import org.mlmspark.testing.TestData;

class TokenIdEncoderTest {
  private static byte[] json;
  private static TokenIdEncoder encoder;

  @BeforeAll
  static void load() throws IOException {
    json = Files.readAllBytes(TestData.distilrobertaTokenizer().resolve("tokenizer.json"));
    encoder = TokenIdEncoder.shared(Hashing.sha256Hex(json), json);
  }

  @Test
  void addsSpecialTokensLikeTheGuidesTokenizerCall() {
    // <s>=0, </s>=2; ' spiral' is 21300 in the roberta vocabulary.
    int[] ids = encoder.encode("a spiral");
    assertEquals(0, ids[0]);
    assertEquals(2, ids[ids.length - 1]);
    assertEquals(21300, ids[2]);
  }

  @Test
  void neverTruncatesLongTexts() {
    String sentence = " The galaxy spins because of angular momentum.";
    int perSentence = encoder.encode(sentence).length - 2;
    int[] ids = encoder.encode(sentence.repeat(200));
    assertEquals(1 + 200 * perSentence + 1, ids.length, "no cut at the model's 512");
    assertEquals(2, ids[ids.length - 1]);
  }

  @Test
  void batchEncodingEqualsDjlsFullEncodingWithoutTruncation() throws IOException {
    String[] texts = {"Why is the sky blue?", "", "Ünïcødé ☃ and emoji 🚀 work too.", "x ".repeat(700)};
    int[][] batch = encoder.encode(texts);
    try (HuggingFaceTokenizer reference =
        HuggingFaceTokenizer.newInstance(
            TestData.distilrobertaTokenizer().resolve("tokenizer.json"), Map.of("truncation", "false"))) {
      for (int i = 0; i < texts.length; i++) {
        long[] expected = reference.encode(texts[i]).getIds();
        assertArrayEquals(Arrays.stream(expected).mapToInt(Math::toIntExact).toArray(), batch[i], texts[i]);
      }
    }
  }

  @Test
  void encodesByteLevelBpeInJavaAndOtherTokenizersNatively() throws IOException {
    assertEquals(TokenIdEncoder.Engine.JAVA, encoder.engine());
    // A normalizer is outside the Java encoder's shape: the same tokenizer with one goes to the native side.
    ObjectNode root = (ObjectNode) new ObjectMapper().readTree(json);
    root.putObject("normalizer").put("type", "Lowercase");
    try (TokenIdEncoder lowercasing = TokenIdEncoder.load(new ObjectMapper().writeValueAsBytes(root))) {
      assertEquals(TokenIdEncoder.Engine.NATIVE, lowercasing.engine());
      assertTrue(lowercasing.description().contains("has a normalizer"), lowercasing.description());
      assertArrayEquals(encoder.encode("a spiral"), lowercasing.encode("A SPIRAL"));
    }
  }

  @Test
  void refusesToForceTheJavaEngineOnAnotherShape() throws IOException {
    ObjectNode root = (ObjectNode) new ObjectMapper().readTree(json);
    ((ObjectNode) root.get("model")).put("dropout", 0.1);
    IOException e = assertThrows(IOException.class,
        () -> TokenIdEncoder.load(new ObjectMapper().writeValueAsBytes(root), TokenIdEncoder.Engine.JAVA));
    assertTrue(e.getMessage().contains("BPE has dropout"), e.getMessage());
  }

  @Test
  void loadsOncePerJvm() {
    assertSame(encoder, TokenIdEncoder.shared(Hashing.sha256Hex(json), new byte[0]));
  }

  @Test
  void reportsAnUnusableTokenizerFile() {
    IOException e =
        assertThrows(
            IOException.class, () -> TokenIdEncoder.load("{\"not\": \"a tokenizer\"}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(true, e.getMessage().startsWith("not a usable tokenizer.json"), e.getMessage());
  }
}
