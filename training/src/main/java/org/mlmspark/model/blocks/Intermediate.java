package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import org.mlmspark.model.config.ModelConfig;

/** RobertaIntermediate: the feed-forward's widening projection and its activation (hidden_act). */
public final class Intermediate extends HfBlock {
  private final Linear dense;
  private final Activation activation;

  public Intermediate(ModelConfig config, String denseName) {
    dense = linear(denseName, config.hiddenSize(), config.intermediateSize());
    activation = Activation.of(config.hiddenAct());
  }

  public NDArray forward(ParameterStore ps, NDArray hidden, boolean training) {
    return activation.apply(apply(dense, ps, hidden, training));
  }
}
