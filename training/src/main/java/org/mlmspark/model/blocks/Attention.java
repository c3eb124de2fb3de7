package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import org.mlmspark.model.config.ModelConfig;

/** RobertaAttention: self-attention followed by its output projection and residual LayerNorm. */
public final class Attention extends HfBlock {
  private final SelfAttention self;
  private final Output output;

  public Attention(ModelConfig config, LayerNames names, float layerNormEps) {
    self = child("", new SelfAttention(config, names));
    output = child("", new Output(config, names.attentionDense(), names.attentionNorm(), config.hiddenSize(),
        layerNormEps));
  }

  public NDArray forward(ParameterStore ps, NDArray hidden, NDArray additiveMask, boolean training) {
    return output.forward(ps, self.forward(ps, hidden, additiveMask, training), hidden, training);
  }
}
