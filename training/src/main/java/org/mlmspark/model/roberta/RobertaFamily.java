package org.mlmspark.model.roberta;

import java.util.List;
import org.mlmspark.model.blocks.Activation;
import org.mlmspark.model.blocks.Embeddings;
import org.mlmspark.model.blocks.HeadNames;
import org.mlmspark.model.blocks.PositionIds;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.model.family.ModelFamily;

/**
 * RoBERTa (distilroberta-base, roberta-base/large, XLM-R, CamemBERT): BERT's encoder with positions counted from
 * {@code pad_token_id + 1} (padding keeps position {@code pad_token_id}), and {@code lm_head} with exact GELU.
 */
public final class RobertaFamily extends ModelFamily {

  @Override
  public List<String> modelTypes() {
    return List.of("roberta", "xlm-roberta", "camembert");
  }

  @Override
  public String architecture() {
    return "RobertaForMaskedLM";
  }

  @Override
  public String basePrefix() {
    return "roberta";
  }

  @Override
  public Embeddings embeddings(ModelConfig config) {
    int pad = config.padTokenId();
    return new Embeddings(config, PositionIds.fromInputIds(pad), true, pad, config.layerNormEps());
  }

  @Override
  public HeadNames headNames() {
    return new HeadNames("lm_head.dense", "lm_head.layer_norm", "lm_head.bias", "lm_head.decoder.weight");
  }

  /** RobertaLMHead calls gelu() directly, whatever hidden_act says. */
  @Override
  public Activation headActivation(ModelConfig config) {
    return Activation.GELU;
  }

  /** The first pad_token_id + 1 position rows are never used by real tokens. */
  @Override
  public int maxSequenceLength(ModelConfig config) {
    return config.maxPositionEmbeddings() - config.padTokenId() - 1;
  }
}
