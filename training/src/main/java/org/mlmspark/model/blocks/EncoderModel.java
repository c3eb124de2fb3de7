package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;

/** RobertaModel without pooler (as RobertaForMaskedLM builds it): embeddings → encoder → last hidden state. */
public final class EncoderModel extends HfBlock {
  private final Embeddings embeddings;
  private final Encoder encoder;

  public EncoderModel(Embeddings embeddings, String encoderName, Encoder encoder) {
    this.embeddings = child("embeddings", embeddings);
    this.encoder = child(encoderName, encoder);
  }

  public Embeddings embeddings() {
    return embeddings;
  }

  /**
   * @param inputIds      [batch, seq] int64
   * @param attentionMask [batch, seq], 1 for real tokens and 0 for padding; null means all real
   * @return [batch, seq, hidden]
   */
  public NDArray forward(ParameterStore ps, NDArray inputIds, NDArray attentionMask, boolean training) {
    NDArray hidden = embeddings.forward(ps, inputIds, training);
    return encoder.forward(ps, hidden, additiveMask(attentionMask), training);
  }

  /**
   * HF's extended attention mask: 0 where attended, float32's (finite) minimum where masked, broadcast over heads
   * and query positions, so softmax gives padded keys exactly zero weight. Callers pass no mask when nothing is
   * masked (full blocks, as the guide's grouping makes them; the trainer knows this from the
   * host copy of the batch): adding zeros to every score of every layer changes nothing.
   */
  static NDArray additiveMask(NDArray attentionMask) {
    if (attentionMask == null) {
      return null;
    }
    NDArray masked = GraphScalars.equal(attentionMask, 0).toType(DataType.FLOAT32, false);
    return GraphScalars.multiply(masked, -Float.MAX_VALUE).expandDims(1).expandDims(1);
  }
}
