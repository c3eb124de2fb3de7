package org.mlmspark.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenizerFingerprintTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static byte[] hubJson;
  private static String hubFingerprint;

  @BeforeAll
  static void load() throws IOException {
    hubJson = BundledTokenizer.DISTILROBERTA_BASE.json();
    hubFingerprint = TokenizerFingerprint.of(hubJson);
  }

  private static ObjectNode tree() throws IOException {
    return (ObjectNode) JSON.readTree(hubJson);
  }

  private static String fingerprintAfter(Consumer<ObjectNode> change) throws IOException {
    ObjectNode tree = tree();
    change.accept(tree);
    return TokenizerFingerprint.of(JSON.writeValueAsBytes(tree));
  }

  /** Another spelling of the same tokenizer: compact, keys in reverse order, merges as pairs, other runtime settings. */
  @Test
  void theSameTokenizerWrittenAnotherWayHasTheSameFingerprint() throws IOException {
    ObjectNode tree = tree();
    ObjectNode reordered = JSON.createObjectNode();
    List<String> keys = new ArrayList<>();
    tree.fieldNames().forEachRemaining(keys::add);
    Collections.reverse(keys);
    keys.forEach(key -> reordered.set(key, tree.get(key)));
    ObjectNode model = (ObjectNode) reordered.get("model");
    ArrayNode pairs = JSON.createArrayNode();
    model.get("merges").forEach(merge -> {
      String[] parts = merge.isArray() ? new String[] {merge.get(0).asText(), merge.get(1).asText()}
          : merge.asText().split(" ", 2);
      pairs.add(JSON.createArrayNode().add(parts[0]).add(parts[1]));
    });
    model.set("merges", pairs);
    reordered.set("truncation", JSON.valueToTree(Map.of("max_length", 512, "strategy", "LongestFirst")));
    reordered.set("decoder", null);
    assertEquals(hubFingerprint, TokenizerFingerprint.of(JSON.writeValueAsBytes(reordered)));
    assertEquals(hubFingerprint,
        TokenizerFingerprint.of(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree())));
  }

  @Test
  void anyDifferenceInWhatItEncodesChangesTheFingerprint() throws IOException {
    List<Consumer<ObjectNode>> changes = List.of(
        t -> ((ObjectNode) t.get("model").get("vocab")).put("Ġspiral", 21301),
        t -> ((ArrayNode) t.get("model").get("merges")).remove(1000),
        t -> ((ObjectNode) t.get("added_tokens").get(4)).put("lstrip", false),
        t -> ((ObjectNode) t.get("pre_tokenizer")).put("add_prefix_space", true),
        t -> t.set("normalizer", JSON.createObjectNode().put("type", "Lowercase")),
        t -> ((ObjectNode) t.get("post_processor")).set("sep", JSON.createArrayNode().add("</s>").add(3)));
    for (int i = 0; i < changes.size(); i++) {
      assertNotEquals(hubFingerprint, fingerprintAfter(changes.get(i)), "change " + i);
    }
  }

  @Test
  void aDocumentThatIsNotATokenizerIsRefused() {
    for (String text : new String[] {"[1, 2]", "\"text\"", "{\"model\": ", "not json"}) {
      assertThrows(IOException.class, () -> TokenizerFingerprint.of(text.getBytes(StandardCharsets.UTF_8)), text);
    }
  }

  @Test
  void aSectionThatIsAbsentDiffersFromAnEmptyOne() throws IOException {
    JsonNode none = JSON.readTree("{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}");
    String withoutNormalizer = TokenizerFingerprint.of(JSON.writeValueAsBytes(none));
    ((ObjectNode) none).set("normalizer", JSON.createObjectNode());
    assertNotEquals(withoutNormalizer, TokenizerFingerprint.of(JSON.writeValueAsBytes(none)));
  }
}
