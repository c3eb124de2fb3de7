package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.mlmspark.model.config.ModelConfig;

/** RobertaEncoder: the stack of layers, named {@code layer.0 ... layer.N-1}. */
public final class Encoder extends HfBlock {
  private final List<Layer> layers = new ArrayList<>();

  public Encoder(ModelConfig config, LayerNames names, float layerNormEps) {
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      layers.add(child("layer." + i, new Layer(config, names, layerNormEps)));
    }
  }

  public NDArray forward(ParameterStore ps, NDArray hidden, NDArray additiveMask, boolean training) {
    NDArray x = hidden;
    for (Layer layer : layers) {
      x = layer.forward(ps, x, additiveMask, training);
    }
    return x;
  }
}
