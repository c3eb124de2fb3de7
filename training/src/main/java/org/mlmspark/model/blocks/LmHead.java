package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import org.mlmspark.model.blocks.NamedParameter.Role;
import org.mlmspark.model.config.ModelConfig;

/**
 * RobertaLMHead (BERT's cls.predictions, DistilBERT's vocab_*): dense → activation → LayerNorm → projection onto
 * the vocabulary with the word-embedding table (tied, as in every hub checkpoint) plus a per-token bias.
 */
public final class LmHead extends HfBlock {
  private final Linear dense;
  private final LayerNorm layerNorm;
  private final Parameter bias;
  private final Parameter untiedDecoder;
  private final Activation activation;

  public LmHead(ModelConfig config, HeadNames names, Activation activation, float layerNormEps) {
    int hidden = config.hiddenSize();
    dense = linear(names.dense(), hidden, hidden);
    layerNorm = layerNorm(names.norm(), hidden, layerNormEps);
    untiedDecoder = config.tieWordEmbeddings()
        ? null
        : tensor(names.decoder(), new Shape(config.vocabSize(), hidden), Role.LINEAR_WEIGHT, -1);
    bias = tensor(names.bias(), new Shape(config.vocabSize()), Role.BIAS, -1);
    this.activation = activation;
  }

  /**
   * @param hidden         [..., hidden]: all positions, or only those that need a prediction
   * @param wordEmbeddings the tied decoder weight [vocab, hidden]
   * @return logits [..., vocab]
   */
  public NDArray forward(ParameterStore ps, NDArray hidden, Parameter wordEmbeddings, boolean training) {
    NDArray x = activation.apply(apply(dense, ps, hidden, training));
    x = apply(layerNorm, ps, x, training);
    Parameter decoder = untiedDecoder == null ? wordEmbeddings : untiedDecoder;
    return Linear.linear(x, ps.getValue(decoder, x.getDevice(), training), ps.getValue(bias, x.getDevice(), training))
        .singletonOrThrow();
  }
}
