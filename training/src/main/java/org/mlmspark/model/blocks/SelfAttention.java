package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import org.mlmspark.model.config.ModelConfig;

/** RobertaSelfAttention with eager_attention_forward: softmax(q·kᵀ/√d + mask)·v over all heads. */
public final class SelfAttention extends HfBlock {
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final int heads;
  private final int headSize;
  private final float scaling;
  private final float dropout;

  public SelfAttention(ModelConfig config, LayerNames names) {
    int hidden = config.hiddenSize();
    query = linear(names.query(), hidden, hidden);
    key = linear(names.key(), hidden, hidden);
    value = linear(names.value(), hidden, hidden);
    heads = config.numAttentionHeads();
    headSize = config.headSize();
    scaling = (float) Math.pow(headSize, -0.5);
    dropout = config.attentionProbsDropoutProb();
  }

  /**
   * @param hidden       [batch, seq, hidden]
   * @param additiveMask [batch, 1, 1, seq]: 0 for real tokens, the float minimum for padding; null for none
   * @return the per-head contexts concatenated back to [batch, seq, hidden]
   */
  public NDArray forward(ParameterStore ps, NDArray hidden, NDArray additiveMask, boolean training) {
    Shape shape = hidden.getShape();
    NDArray q = splitHeads(apply(query, ps, hidden, training));
    NDArray k = splitHeads(apply(key, ps, hidden, training));
    NDArray v = splitHeads(apply(value, ps, hidden, training));
    NDArray scores = GraphScalars.multiply(q.matMul(k.transpose(0, 1, 3, 2)), scaling);
    if (additiveMask != null) {
      scores = scores.add(additiveMask);
    }
    NDArray probs = Dropouts.apply(scores.softmax(-1), dropout, training);
    return probs.matMul(v).transpose(0, 2, 1, 3).reshape(shape);
  }

  private NDArray splitHeads(NDArray x) {
    Shape s = x.getShape();
    return x.reshape(s.get(0), s.get(1), heads, headSize).transpose(0, 2, 1, 3);
  }
}
