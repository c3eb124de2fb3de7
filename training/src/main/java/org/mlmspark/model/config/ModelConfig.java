package org.mlmspark.model.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.OptionalInt;
import org.mlmspark.support.Json;

/**
 * Every hyper-parameter of a masked-LM encoder, read from a Hugging Face {@code config.json} with the hub's field
 * names. The JSON itself is kept so that saving writes back exactly what was read (including fields this project
 * does not use), as {@code save_pretrained} round-trips a config.
 *
 * <p>DistilBERT's config names the same quantities differently ({@code dim}, {@code n_layers}, ...); the aliases
 * are listed once here, next to the BERT/RoBERTa name.
 */
public record ModelConfig(
    String modelType,
    int vocabSize,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    String hiddenAct,
    float hiddenDropoutProb,
    float attentionProbsDropoutProb,
    int maxPositionEmbeddings,
    int typeVocabSize,
    float initializerRange,
    float layerNormEps,
    int padTokenId,
    String positionEmbeddingType,
    boolean tieWordEmbeddings,
    boolean isDecoder,
    boolean sinusoidalPositions,
    ObjectNode json) {

  private static final ObjectMapper MAPPER = Json.mapper();

  /**
   * Upper bounds of the size fields, far above any published encoder (the largest vocabularies hold about 256 K
   * ids, the widest BERT-style models 8 K hidden units and 128 layers), so that a hostile config is refused before
   * anything is allocated; what fits the machine is {@code ModelSize}'s decision.
   */
  static final int MAX_VOCAB_SIZE = 1 << 24;
  static final int MAX_HIDDEN_SIZE = 1 << 16;
  static final int MAX_LAYERS = 1000;
  static final int MAX_INTERMEDIATE_SIZE = 1 << 20;
  static final int MAX_POSITIONS = 1 << 20;
  static final int MAX_TYPE_VOCAB_SIZE = 1 << 16;

  public ModelConfig {
    if (numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
      throw new InvalidModelConfigException("hidden_size (" + hiddenSize
          + ") is not a multiple of num_attention_heads (" + numAttentionHeads + ")");
    }
  }

  public int headSize() {
    return hiddenSize / numAttentionHeads;
  }

  /** The JSON object of a {@code config.json}; anything else is refused naming {@code source}. */
  public static ObjectNode readJson(byte[] configJson, String source) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(configJson);
    } catch (JsonProcessingException e) {
      throw new InvalidModelConfigException(source + " is not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new InvalidModelConfigException(source + " is not valid JSON (" + e.getMessage() + ")");
    }
    if (!(tree instanceof ObjectNode json)) {
      throw new InvalidModelConfigException(source + " must hold a JSON object");
    }
    return json;
  }

  /** The {@code model_type} a config names ({@code unknown} when it names none). */
  public static String modelType(ObjectNode json) {
    return text(json, "unknown", "model_type");
  }

  /**
   * The fields of a {@code config.json}; refusals name the file {@code config.json}. Whether its {@code model_type}
   * is one this project builds is the families' decision: {@code ModelFamilies.readConfig} reads a file, asking
   * that first, as {@code AutoConfig} does.
   */
  public static ModelConfig fromJson(ObjectNode json) {
    // Defaults are those of transformers' BertConfig/RobertaConfig for fields a hub config may omit.
    return new ModelConfig(
        modelType(json),
        requiredInt(json, 1, MAX_VOCAB_SIZE, "vocab_size"),
        requiredInt(json, 1, MAX_HIDDEN_SIZE, "hidden_size", "dim"),
        requiredInt(json, 1, MAX_LAYERS, "num_hidden_layers", "n_layers"),
        requiredInt(json, 1, MAX_HIDDEN_SIZE, "num_attention_heads", "n_heads"),
        requiredInt(json, 1, MAX_INTERMEDIATE_SIZE, "intermediate_size", "hidden_dim"),
        text(json, "gelu", "hidden_act", "activation"),
        (float) number(json, 0.1, "hidden_dropout_prob", "dropout"),
        (float) number(json, 0.1, "attention_probs_dropout_prob", "attention_dropout"),
        requiredInt(json, 1, MAX_POSITIONS, "max_position_embeddings"),
        optionalInt(json, 2, 0, MAX_TYPE_VOCAB_SIZE, "type_vocab_size"),
        (float) number(json, 0.02, "initializer_range"),
        (float) number(json, 1e-12, "layer_norm_eps"),
        optionalInt(json, 0, 0, MAX_VOCAB_SIZE - 1, "pad_token_id"),
        text(json, "absolute", "position_embedding_type"),
        json.path("tie_word_embeddings").asBoolean(true),
        json.path("is_decoder").asBoolean(false),
        json.path("sinusoidal_pos_embds").asBoolean(false),
        json);
  }

  /**
   * This config sized for a tokenizer: {@code vocab_size} its number of ids, and the special token ids it names
   * ({@code pad_token_id} decides where RoBERTa's positions start). Absent ids keep the config's value.
   */
  public ModelConfig withTokenizerIds(int vocabSize, OptionalInt padId, OptionalInt bosId, OptionalInt eosId) {
    ObjectNode copy = json.deepCopy();
    copy.put("vocab_size", vocabSize);
    padId.ifPresent(id -> copy.put("pad_token_id", id));
    bosId.ifPresent(id -> copy.put("bos_token_id", id));
    eosId.ifPresent(id -> copy.put("eos_token_id", id));
    return fromJson(copy);
  }

  public byte[] toJsonBytes() {
    try {
      return Json.pretty().writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode first(ObjectNode json, String... names) {
    for (String name : names) {
      JsonNode node = json.get(name);
      if (node != null && !node.isNull()) {
        return node;
      }
    }
    return null;
  }

  private static int requiredInt(ObjectNode json, int min, int max, String... names) {
    JsonNode node = first(json, names);
    if (node == null) {
      throw new InvalidModelConfigException("config.json lacks the integer field " + String.join(" / ", names));
    }
    return boundedInt(node, min, max, names);
  }

  private static int optionalInt(ObjectNode json, int fallback, int min, int max, String... names) {
    JsonNode node = first(json, names);
    return node == null ? fallback : boundedInt(node, min, max, names);
  }

  /** An integer in [min, max]; a whole-valued float such as 768.0 counts, as Python's int() would take it. */
  private static int boundedInt(JsonNode node, int min, int max, String... names) {
    boolean integral = node.isIntegralNumber()
        || (node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue()));
    if (!integral || node.doubleValue() < min || node.doubleValue() > max) {
      throw new InvalidModelConfigException("config.json field " + names[0] + " must be an integer from " + min
          + " to " + max + ", got " + node);
    }
    return node.intValue();
  }

  private static double number(ObjectNode json, double fallback, String... names) {
    JsonNode node = first(json, names);
    if (node == null) {
      return fallback;
    }
    if (!node.isNumber()) {
      throw new InvalidModelConfigException("config.json field " + names[0] + " must be a number, got " + node);
    }
    return node.doubleValue();
  }

  private static String text(ObjectNode json, String fallback, String... names) {
    JsonNode node = first(json, names);
    return node == null ? fallback : node.asText();
  }
}
