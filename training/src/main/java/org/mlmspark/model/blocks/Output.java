package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import org.mlmspark.model.config.ModelConfig;

/**
 * RobertaSelfOutput and RobertaOutput, which HF writes twice with the same body: LayerNorm(dropout(dense(x)) +
 * residual), i.e. the post-LayerNorm residual connection after attention and after the feed-forward.
 */
public final class Output extends HfBlock {
  private final Linear dense;
  private final LayerNorm layerNorm;
  private final float dropout;

  public Output(ModelConfig config, String denseName, String normName, int inFeatures, float layerNormEps) {
    dense = linear(denseName, inFeatures, config.hiddenSize());
    layerNorm = layerNorm(normName, config.hiddenSize(), layerNormEps);
    dropout = config.hiddenDropoutProb();
  }

  public NDArray forward(ParameterStore ps, NDArray hidden, NDArray residual, boolean training) {
    NDArray x = Dropouts.apply(apply(dense, ps, hidden, training), dropout, training);
    return apply(layerNorm, ps, x.add(residual), training);
  }
}
