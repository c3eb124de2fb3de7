package org.mlmspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlmspark.model.config.InvalidModelConfigException;
import org.mlmspark.model.config.ModelConfig;

/** The estimate that guards allocation agrees with the models actually built, and refuses what cannot fit. */
class ModelSizeTest {
  private static ObjectNode tiny() {
    return ModelPresets.get("tiny").json().deepCopy();
  }

  @Test
  void theEstimateMatchesTheParametersOfEachFamily() {
    List<ObjectNode> configs = List.of(
        tiny(),
        tiny().put("model_type", "bert").put("type_vocab_size", 2),
        tiny().put("tie_word_embeddings", false),
        tiny().put("model_type", "distilbert"));
    try (NDManager manager = NDManager.newBaseManager()) {
      for (ObjectNode json : configs) {
        ModelConfig config = ModelConfig.fromJson(json);
        long actual = MaskedLmModel.create(config, manager).namedParameters().stream()
            .mapToLong(p -> p.parameter().getArray().size()).sum();
        double estimate = ModelSize.parameterCount(config);
        // DistilBERT has no token-type table: the estimate may count those 2 × hidden_size more, never fewer.
        assertTrue(estimate >= actual && estimate - actual <= 2.0 * config.typeVocabSize() * config.hiddenSize(),
            json + ": estimate " + estimate + ", actual " + actual);
      }
    }
  }

  @Test
  void aConfigBeyondTheMemoryIsRefusedNamingTheFileAndSizes() {
    ModelConfig config = ModelConfig.fromJson(tiny().put("num_hidden_layers", 1000).put("hidden_size", 4096)
        .put("num_attention_heads", 64).put("intermediate_size", 16384));
    double bytes = ModelSize.parameterBytes(config);
    ModelSize.requireFits(config, "dir/config.json", (long) bytes + 1);
    InvalidModelConfigException e = assertThrows(InvalidModelConfigException.class,
        () -> ModelSize.requireFits(config, "dir/config.json", (long) bytes - 1));
    assertTrue(e.getMessage().startsWith("dir/config.json describes 2.0"), e.getMessage());
    assertTrue(e.getMessage().contains("num_hidden_layers 1000"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void theMachineHasSomeMemory() {
    assertTrue(ModelSize.availableBytes() > 1L << 28);
  }
}
