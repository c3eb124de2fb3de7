package org.mlmspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlmspark.model.blocks.NamedParameter;
import org.mlmspark.model.config.InvalidModelConfigException;
import org.mlmspark.model.config.ModelConfig;

class ModelConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode tiny() {
    return ModelPresets.get("tiny").json().deepCopy();
  }

  private static String error(ObjectNode json) {
    return assertThrows(InvalidModelConfigException.class, () -> ModelFamilies.of(ModelConfig.fromJson(json)))
        .getMessage();
  }

  @Test
  void unknownModelTypeNamesTheSupportedOnes() {
    ObjectNode json = tiny().put("model_type", "gpt2");
    assertEquals("unsupported model_type \"gpt2\"; supported: roberta, xlm-roberta, camembert, bert, distilbert",
        error(json));
  }

  @Test
  void readingAConfigNamesAnUnsupportedModelTypeBeforeAnyMissingField() {
    ObjectNode json = tiny().put("model_type", "gpt2");
    json.remove("vocab_size");
    byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
    assertEquals("unsupported model_type \"gpt2\"; supported: roberta, xlm-roberta, camembert, bert, distilbert",
        assertThrows(InvalidModelConfigException.class, () -> ModelFamilies.readConfig(bytes)).getMessage());
    assertEquals("s3a://b/m/config.json: unsupported model_type \"gpt2\"; supported: roberta, xlm-roberta,"
        + " camembert, bert, distilbert", assertThrows(InvalidModelConfigException.class,
            () -> ModelFamilies.readConfig(bytes, "s3a://b/m/config.json")).getMessage());
  }

  @Test
  void relativePositionsAreRejected() {
    assertEquals("unsupported position_embedding_type \"relative_key\"; supported: absolute",
        error(tiny().put("position_embedding_type", "relative_key")));
  }

  @Test
  void unsupportedActivationIsRejected() {
    assertEquals("unsupported activation \"swish\"; supported: gelu, relu", error(tiny().put("hidden_act", "swish")));
  }

  @Test
  void decoderConfigsAreRejected() {
    assertTrue(error(tiny().put("is_decoder", true)).contains("is_decoder"));
  }

  @Test
  void missingShapeFieldsAndBadJsonAreNamed() {
    ObjectNode json = tiny();
    json.remove("hidden_size");
    assertThrows(InvalidModelConfigException.class, () -> ModelConfig.fromJson(json), "hidden_size / dim");
    assertTrue(assertThrows(InvalidModelConfigException.class,
        () -> ModelFamilies.readConfig("{nope".getBytes(StandardCharsets.UTF_8))).getMessage()
        .contains("not valid JSON"));
    assertTrue(assertThrows(InvalidModelConfigException.class,
        () -> ModelConfig.fromJson(tiny().put("num_attention_heads", 3))).getMessage().contains("multiple"));
  }

  @Test
  void sizeFieldsAreBoundedBeforeAnythingIsAllocated() {
    assertEquals("config.json field vocab_size must be an integer from 1 to 16777216, got 16777217",
        error(tiny().put("vocab_size", (1 << 24) + 1)));
    assertEquals("config.json field hidden_size must be an integer from 1 to 65536, got 0",
        error(tiny().put("hidden_size", 0)));
    assertEquals("config.json field num_hidden_layers must be an integer from 1 to 1000, got 1.5",
        error(tiny().put("num_hidden_layers", 1.5)));
    assertEquals("config.json field type_vocab_size must be an integer from 0 to 65536, got -2",
        error(tiny().put("type_vocab_size", -2)));
    assertEquals("config.json field pad_token_id must be an integer from 0 to 16777215, got \"1\"",
        error(tiny().put("pad_token_id", "1")));
    // Whole-valued floats are integers, as Python's configs sometimes write them.
    assertEquals(1000, ModelConfig.fromJson(tiny().put("num_hidden_layers", 1000.0)).numHiddenLayers());
  }

  @Test
  void refusalsNameTheFileTheyCameFrom() {
    byte[] json = tiny().put("vocab_size", -1).toString().getBytes(StandardCharsets.UTF_8);
    assertTrue(assertThrows(InvalidModelConfigException.class,
        () -> ModelFamilies.readConfig(json, "s3a://b/m/config.json")).getMessage()
        .startsWith("s3a://b/m/config.json field vocab_size must be an integer"));
  }

  @Test
  void distilbertFieldNamesAreRead() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree("{\"model_type\":\"distilbert\",\"vocab_size\":100,\"dim\":16,"
        + "\"n_layers\":2,\"n_heads\":4,\"hidden_dim\":64,\"max_position_embeddings\":32,\"activation\":\"gelu\","
        + "\"dropout\":0.2,\"attention_dropout\":0.3}");
    ModelConfig config = ModelConfig.fromJson(json);
    assertEquals(List.of(16, 2, 4, 64), List.of(config.hiddenSize(), config.numHiddenLayers(),
        config.numAttentionHeads(), config.intermediateSize()));
    assertEquals(0.2f, config.hiddenDropoutProb());
    assertEquals(0.3f, config.attentionProbsDropoutProb());
  }

  @Test
  void familiesNameTheirTensorsLikeHf() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ObjectNode bert = tiny().put("model_type", "bert").put("type_vocab_size", 2);
      List<String> names = MaskedLmModel.create(ModelConfig.fromJson(bert), manager).namedParameters().stream()
          .map(NamedParameter::name).toList();
      assertTrue(names.containsAll(List.of("bert.embeddings.token_type_embeddings.weight",
          "bert.encoder.layer.1.attention.output.LayerNorm.weight", "cls.predictions.transform.dense.weight",
          "cls.predictions.transform.LayerNorm.bias", "cls.predictions.bias")), names.toString());
    }
  }
}
