package org.mlmspark.model.bert;

import java.util.List;
import org.mlmspark.model.blocks.Activation;
import org.mlmspark.model.blocks.Embeddings;
import org.mlmspark.model.blocks.HeadNames;
import org.mlmspark.model.blocks.PositionIds;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.model.family.ModelFamily;

/** BERT (bert-base-uncased shape): positions 0..n-1, the head under {@code cls.predictions} using hidden_act. */
public final class BertFamily extends ModelFamily {

  @Override
  public List<String> modelTypes() {
    return List.of("bert");
  }

  @Override
  public String architecture() {
    return "BertForMaskedLM";
  }

  @Override
  public String basePrefix() {
    return "bert";
  }

  @Override
  public Embeddings embeddings(ModelConfig config) {
    return new Embeddings(config, PositionIds.sequential(), true, -1, config.layerNormEps());
  }

  @Override
  public HeadNames headNames() {
    return new HeadNames("cls.predictions.transform.dense", "cls.predictions.transform.LayerNorm",
        "cls.predictions.bias", "cls.predictions.decoder.weight");
  }

  @Override
  public Activation headActivation(ModelConfig config) {
    return Activation.of(config.hiddenAct());
  }
}
