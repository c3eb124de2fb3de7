package org.mlmspark.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.mlmspark.support.Hashing;

/**
 * What a tokenizer.json encodes, as one hash: the vocabulary and merges, the added and special tokens, the
 * normalizer, the pre-tokenizer and the post-processor. Key order, whitespace, the two spellings of merges
 * ({@code "a b"} and {@code ["a", "b"]}) and the runtime settings (truncation, padding, decoder) do not count, so the
 * hub's file, an HF-cache copy and the bundled copy are one tokenizer, while any difference in the ids is another.
 */
public final class TokenizerFingerprint {
  private static final List<String> ENCODING_SECTIONS =
      List.of("model", "added_tokens", "normalizer", "pre_tokenizer", "post_processor");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private TokenizerFingerprint() {}

  /** The fingerprint of a tokenizer.json document; fails on a document that is not a JSON object. */
  public static String of(byte[] tokenizerJson) throws IOException {
    JsonNode root = JSON.readTree(tokenizerJson);
    if (root == null || !root.isObject()) {
      throw new IOException("not a tokenizer.json document (expected a JSON object)");
    }
    ObjectNode canonical = JSON.createObjectNode();
    for (String section : ENCODING_SECTIONS) {
      canonical.set(section, root.path(section).isMissingNode() ? null : root.get(section).deepCopy());
    }
    JsonNode merges = canonical.path("model").path("merges");
    if (merges.isArray()) {
      ((ObjectNode) canonical.get("model")).set("merges", mergesAsStrings((ArrayNode) merges));
    }
    // Sorting happens on maps, not on tree nodes: serialise the plain-object form.
    return Hashing.sha256Hex(JSON.writeValueAsBytes(JSON.treeToValue(canonical, Object.class)));
  }

  private static ArrayNode mergesAsStrings(ArrayNode merges) {
    ArrayNode strings = JSON.createArrayNode();
    for (JsonNode merge : merges) {
      strings.add(merge.isArray() ? merge.get(0).asText() + " " + merge.get(1).asText() : merge.asText());
    }
    return strings;
  }
}
