package org.mlmspark.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WeightDecayRuleTest {
  @Test
  void exemptsWhatHfTrainerExemptsInRoberta() {
    // RobertaForMaskedLM.named_parameters() (one layer); transformers 5.17's Trainer.get_decay_parameter_names
    // leaves out exactly the ones marked false.
    List<String> decayed = List.of(
        "roberta.embeddings.word_embeddings.weight",
        "roberta.embeddings.position_embeddings.weight",
        "roberta.embeddings.token_type_embeddings.weight",
        "roberta.encoder.layer.0.attention.self.query.weight",
        "roberta.encoder.layer.0.attention.self.key.weight",
        "roberta.encoder.layer.0.attention.self.value.weight",
        "roberta.encoder.layer.0.attention.output.dense.weight",
        "roberta.encoder.layer.0.intermediate.dense.weight",
        "roberta.encoder.layer.0.output.dense.weight",
        "lm_head.dense.weight");
    List<String> exempt = List.of(
        "roberta.embeddings.LayerNorm.weight",
        "roberta.embeddings.LayerNorm.bias",
        "roberta.encoder.layer.0.attention.self.query.bias",
        "roberta.encoder.layer.0.attention.self.key.bias",
        "roberta.encoder.layer.0.attention.self.value.bias",
        "roberta.encoder.layer.0.attention.output.dense.bias",
        "roberta.encoder.layer.0.attention.output.LayerNorm.weight",
        "roberta.encoder.layer.0.attention.output.LayerNorm.bias",
        "roberta.encoder.layer.0.intermediate.dense.bias",
        "roberta.encoder.layer.0.output.dense.bias",
        "roberta.encoder.layer.0.output.LayerNorm.weight",
        "roberta.encoder.layer.0.output.LayerNorm.bias",
        "lm_head.dense.bias",
        "lm_head.layer_norm.weight",
        "lm_head.layer_norm.bias",
        "lm_head.bias");
    assertEquals(decayed, decayed.stream().filter(WeightDecayRule::decays).collect(Collectors.toList()));
    assertEquals(List.of(), exempt.stream().filter(WeightDecayRule::decays).collect(Collectors.toList()));
  }

  @Test
  void coversOtherFamiliesNormNames() {
    // DistilBERT's sa_layer_norm / vocab_layer_norm, Llama-style norm and rmsnorm; "normal" is not a norm.
    assertEquals(false, WeightDecayRule.decays("distilbert.transformer.layer.0.sa_layer_norm.weight"));
    assertEquals(false, WeightDecayRule.decays("vocab_layer_norm.weight"));
    assertEquals(false, WeightDecayRule.decays("model.norm.weight"));
    assertEquals(false, WeightDecayRule.decays("model.layers.0.input_rmsnorm.weight"));
    assertEquals(true, WeightDecayRule.decays("vocab_projector.weight"));
    assertEquals(true, WeightDecayRule.decays("model.normal_proj.weight"));
  }
}
