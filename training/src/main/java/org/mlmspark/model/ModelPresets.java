package org.mlmspark.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mlmspark.model.config.InvalidModelConfigException;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.support.Json;

/** Named configs for fresh checkpoints ({@code bin/init-model --preset NAME}), written as HF would save them. */
public final class ModelPresets {
  private static final ObjectMapper MAPPER = Json.mapper();

  /** name → (layers, hidden, heads, intermediate). All use the RoBERTa byte-level BPE vocabulary (50,265). */
  private static final Map<String, int[]> ROBERTA_SHAPES = new TreeMap<>(Map.of(
      "distilroberta-base", new int[] {6, 768, 12, 3072},
      "roberta-base", new int[] {12, 768, 12, 3072},
      "small", new int[] {4, 256, 4, 1024},
      "tiny", new int[] {2, 32, 2, 64}));

  private ModelPresets() {}

  public static Set<String> names() {
    return ROBERTA_SHAPES.keySet();
  }

  public static ModelConfig get(String name) {
    int[] shape = ROBERTA_SHAPES.get(name);
    if (shape == null) {
      throw new InvalidModelConfigException("unknown preset \"" + name + "\"; presets: "
          + String.join(", ", names()));
    }
    ObjectNode json = MAPPER.createObjectNode();
    json.putArray("architectures").add("RobertaForMaskedLM");
    json.put("model_type", "roberta");
    json.put("attention_probs_dropout_prob", 0.1);
    json.put("bos_token_id", 0);
    json.put("eos_token_id", 2);
    json.put("pad_token_id", 1);
    json.put("hidden_act", "gelu");
    json.put("hidden_dropout_prob", 0.1);
    json.put("num_hidden_layers", shape[0]);
    json.put("hidden_size", shape[1]);
    json.put("num_attention_heads", shape[2]);
    json.put("intermediate_size", shape[3]);
    json.put("initializer_range", 0.02);
    json.put("layer_norm_eps", 1e-05);
    json.put("max_position_embeddings", 514);
    json.put("position_embedding_type", "absolute");
    json.put("tie_word_embeddings", true);
    json.put("type_vocab_size", 1);
    json.put("vocab_size", 50265);
    return ModelConfig.fromJson(json);
  }
}
