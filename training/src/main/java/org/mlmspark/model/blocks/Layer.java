package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import org.mlmspark.model.config.ModelConfig;

/** RobertaLayer: attention, then the feed-forward (intermediate → output), each with a post-LayerNorm residual. */
public final class Layer extends HfBlock {
  private final Attention attention;
  private final Intermediate intermediate;
  private final Output output;

  public Layer(ModelConfig config, LayerNames names, float layerNormEps) {
    attention = child("", new Attention(config, names, layerNormEps));
    intermediate = child("", new Intermediate(config, names.intermediateDense()));
    output = child("", new Output(config, names.outputDense(), names.outputNorm(), config.intermediateSize(),
        layerNormEps));
  }

  public NDArray forward(ParameterStore ps, NDArray hidden, NDArray additiveMask, boolean training) {
    NDArray attended = attention.forward(ps, hidden, additiveMask, training);
    return output.forward(ps, intermediate.forward(ps, attended, training), attended, training);
  }
}
