package org.mlmspark.model.distilbert;

import java.util.List;
import org.mlmspark.model.blocks.Activation;
import org.mlmspark.model.blocks.Embeddings;
import org.mlmspark.model.blocks.HeadNames;
import org.mlmspark.model.blocks.LayerNames;
import org.mlmspark.model.blocks.PositionIds;
import org.mlmspark.model.config.InvalidModelConfigException;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.model.family.ModelFamily;

/**
 * DistilBERT: BERT's layer with its own names ({@code q_lin}, {@code sa_layer_norm}, {@code ffn.lin1}, ...), no
 * token types, every LayerNorm at eps 1e-12, encoder called {@code transformer}, head {@code vocab_*}.
 */
public final class DistilBertFamily extends ModelFamily {
  private static final float EPS = 1e-12f;

  @Override
  public List<String> modelTypes() {
    return List.of("distilbert");
  }

  @Override
  public String architecture() {
    return "DistilBertForMaskedLM";
  }

  @Override
  public String basePrefix() {
    return "distilbert";
  }

  @Override
  public String encoderName() {
    return "transformer";
  }

  @Override
  public Embeddings embeddings(ModelConfig config) {
    return new Embeddings(config, PositionIds.sequential(), false, -1, EPS);
  }

  @Override
  public LayerNames layerNames() {
    return new LayerNames("attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin",
        "sa_layer_norm", "ffn.lin1", "ffn.lin2", "output_layer_norm");
  }

  @Override
  public HeadNames headNames() {
    return new HeadNames("vocab_transform", "vocab_layer_norm", "vocab_projector.bias", "vocab_projector.weight");
  }

  @Override
  public Activation headActivation(ModelConfig config) {
    return Activation.of(config.hiddenAct());
  }

  @Override
  public float layerNormEps(ModelConfig config) {
    return EPS;
  }

  @Override
  public void validate(ModelConfig config) {
    super.validate(config);
    if (config.sinusoidalPositions()) {
      throw new InvalidModelConfigException("sinusoidal_pos_embds=true (frozen sinusoidal positions) is not"
          + " supported; supported: learned position embeddings");
    }
  }
}
