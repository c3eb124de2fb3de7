package org.mlmspark.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a tokenizer.json into a {@link ByteLevelBpeEncoder} when it has the shape of the GPT-2 / RoBERTa
 * family, and says precisely why not otherwise (the caller then uses the native tokenizer):
 * <ul>
 *   <li>no normalizer;</li>
 *   <li>pre-tokenizer ByteLevel with {@code use_regex} (alone or as the only step of a Sequence);</li>
 *   <li>model BPE over a vocabulary holding all 256 byte characters, without dropout, subword prefix or
 *       word suffix, {@code ignore_merges} off; merges as {@code "a b"} strings or {@code [a, b]} pairs;</li>
 *   <li>post-processor none, ByteLevel, RobertaProcessing, BertProcessing, TemplateProcessing, or a Sequence
 *       of these;</li>
 *   <li>added tokens with distinct contents and ids.</li>
 * </ul>
 * Added-token ids are resolved as HF does on loading: the model vocabulary's id when the content is in it,
 * else the next id after the vocabulary.
 */
final class ByteLevelBpeJson {
  private ByteLevelBpeJson() {}

  static ByteLevelBpeEncoder encoder(JsonNode root) throws UnsupportedTokenizerException {
    require(isNull(root.path("normalizer")), "has a normalizer");
    boolean addPrefixSpace = byteLevelPreTokenizer(root.path("pre_tokenizer"));
    JsonNode model = root.path("model");
    require(model.path("type").asText("BPE").equals("BPE"), "model is " + model.path("type").asText());
    require(isNull(model.path("dropout")) || model.path("dropout").asDouble() == 0, "BPE has dropout");
    require(isEmpty(model.path("continuing_subword_prefix")), "BPE has a continuing_subword_prefix");
    require(isEmpty(model.path("end_of_word_suffix")), "BPE has an end_of_word_suffix");
    require(!model.path("ignore_merges").asBoolean(false), "BPE has ignore_merges");

    Map<String, Integer> vocab = vocabulary(model.path("vocab"));
    int[] byteIds = new int[256];
    for (int b = 0; b < 256; b++) {
      Integer id = vocab.get(ByteLevelAlphabet.encode(new byte[] {(byte) b}));
      require(id != null, "vocabulary lacks the byte-level character of byte " + b);
      byteIds[b] = id;
    }
    return new ByteLevelBpeEncoder(byteIds, new BpeMerges(merges(model.path("merges"), vocab)),
        new AddedTokenSplitter(addedTokens(root.path("added_tokens"), vocab)), addPrefixSpace,
        template(root.path("post_processor")));
  }

  /** The ByteLevel pre-tokenizer's add_prefix_space. */
  private static boolean byteLevelPreTokenizer(JsonNode pre) throws UnsupportedTokenizerException {
    if (pre.path("type").asText().equals("Sequence") && pre.path("pretokenizers").size() == 1) {
      pre = pre.path("pretokenizers").get(0);
    }
    require(pre.path("type").asText().equals("ByteLevel"), "pre-tokenizer is not ByteLevel: " + pre);
    require(pre.path("use_regex").asBoolean(true), "ByteLevel pre-tokenizer without use_regex");
    require(pre.path("add_prefix_space").isBoolean(), "ByteLevel pre-tokenizer without add_prefix_space");
    return pre.path("add_prefix_space").asBoolean();
  }

  private static Map<String, Integer> vocabulary(JsonNode vocab) throws UnsupportedTokenizerException {
    require(vocab.isObject() && vocab.size() > 0, "BPE has no vocab object");
    Map<String, Integer> ids = new HashMap<>(vocab.size() * 2);
    for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      require(entry.getValue().canConvertToInt() && entry.getValue().asInt() >= 0, "bad vocab id: " + entry);
      ids.put(entry.getKey(), entry.getValue().asInt());
    }
    return ids;
  }

  /** {@code {left, right, merged}} ids per merge, in rank order. */
  private static int[][] merges(JsonNode merges, Map<String, Integer> vocab) throws UnsupportedTokenizerException {
    require(merges.isArray(), "BPE has no merges list");
    int[][] pairs = new int[merges.size()][];
    for (int rank = 0; rank < pairs.length; rank++) {
      JsonNode merge = merges.get(rank);
      String left;
      String right;
      if (merge.isArray() && merge.size() == 2) {
        left = merge.get(0).asText();
        right = merge.get(1).asText();
      } else {
        String[] parts = merge.asText().split(" ", -1);
        require(merge.isTextual() && parts.length == 2, "bad merge at rank " + rank + ": " + merge);
        left = parts[0];
        right = parts[1];
      }
      Integer leftId = vocab.get(left);
      Integer rightId = vocab.get(right);
      Integer mergedId = vocab.get(left + right);
      require(leftId != null && rightId != null && mergedId != null, "merge outside the vocabulary: " + merge);
      pairs[rank] = new int[] {leftId, rightId, mergedId};
    }
    return pairs;
  }

  private static List<AddedTokenSplitter.AddedToken> addedTokens(JsonNode added, Map<String, Integer> vocab)
      throws UnsupportedTokenizerException {
    List<AddedTokenSplitter.AddedToken> tokens = new ArrayList<>();
    Set<String> contents = new HashSet<>();
    Set<Integer> ids = new HashSet<>();
    int maxId = -1;
    for (JsonNode token : added) {
      String content = token.path("content").asText();
      if (content.isEmpty()) {
        continue; // HF ignores empty added tokens
      }
      require(token.path("normalized").isBoolean(), "added token " + content + " without normalized flag");
      Integer id = vocab.get(content);
      if (id == null) {
        // HF's AddedVocabulary numbering for contents outside the model vocabulary.
        id = maxId < 0 || maxId < vocab.size() ? vocab.size() : maxId + 1;
      }
      require(contents.add(content) && ids.add(id), "duplicate added token " + content);
      maxId = Math.max(maxId, id);
      tokens.add(new AddedTokenSplitter.AddedToken(content, id, token.path("single_word").asBoolean(false),
          token.path("lstrip").asBoolean(false), token.path("rstrip").asBoolean(false),
          token.path("normalized").asBoolean()));
    }
    return tokens;
  }

  private static SingleSequenceTemplate template(JsonNode post) throws UnsupportedTokenizerException {
    if (isNull(post)) {
      return SingleSequenceTemplate.NONE;
    }
    String type = post.path("type").asText();
    switch (type) {
      case "ByteLevel":
        return SingleSequenceTemplate.NONE; // only trims offsets
      case "RobertaProcessing":
      case "BertProcessing":
        return new SingleSequenceTemplate(new int[] {idOf(post.path("cls"))}, new int[] {idOf(post.path("sep"))});
      case "TemplateProcessing":
        return templateProcessing(post);
      case "Sequence": {
        SingleSequenceTemplate result = SingleSequenceTemplate.NONE;
        for (JsonNode step : post.path("processors")) {
          result = result.within(template(step));
        }
        return result;
      }
      default:
        throw new UnsupportedTokenizerException("post-processor " + type);
    }
  }

  private static int idOf(JsonNode tokenAndId) throws UnsupportedTokenizerException {
    require(tokenAndId.isArray() && tokenAndId.size() == 2 && tokenAndId.get(1).canConvertToInt(),
        "bad special token " + tokenAndId);
    return tokenAndId.get(1).asInt();
  }

  /** The {@code single} template: special tokens before and after the one {@code $A} sequence. */
  private static SingleSequenceTemplate templateProcessing(JsonNode post) throws UnsupportedTokenizerException {
    List<Integer> prefix = new ArrayList<>();
    List<Integer> suffix = new ArrayList<>();
    boolean seenSequence = false;
    for (JsonNode piece : post.path("single")) {
      if (piece.has("Sequence")) {
        require(!seenSequence && piece.path("Sequence").path("id").asText().equals("A"),
            "TemplateProcessing single template is not one $A sequence");
        seenSequence = true;
      } else {
        String name = piece.path("SpecialToken").path("id").asText();
        JsonNode special = post.path("special_tokens").path(name).path("ids");
        require(special.isArray(), "TemplateProcessing lacks special token " + name);
        for (JsonNode id : special) {
          (seenSequence ? suffix : prefix).add(id.asInt());
        }
      }
    }
    require(seenSequence, "TemplateProcessing single template has no $A");
    return new SingleSequenceTemplate(prefix.stream().mapToInt(Integer::intValue).toArray(),
        suffix.stream().mapToInt(Integer::intValue).toArray());
  }

  private static boolean isNull(JsonNode node) {
    return node.isMissingNode() || node.isNull();
  }

  private static boolean isEmpty(JsonNode node) {
    return isNull(node) || node.asText().isEmpty();
  }

  private static void require(boolean condition, String otherwise) throws UnsupportedTokenizerException {
    if (!condition) {
      throw new UnsupportedTokenizerException(otherwise);
    }
  }
}
