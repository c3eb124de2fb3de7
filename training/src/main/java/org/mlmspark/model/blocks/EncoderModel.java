package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import org.mlmspark.model.GraphScalars;

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
    return forward(ps, inputIds, attentionMask, DataType.FLOAT32, training);
  }

  /**
   * @param computeType the type of the hidden states after the embeddings (float32, or bfloat16: every later
   *                    piece then computes in the type of its input, see {@link HfBlock#apply})
   */
  public NDArray forward(ParameterStore ps, NDArray inputIds, NDArray attentionMask, DataType computeType,
      boolean training) {
    NDArray hidden = embeddings.forward(ps, inputIds, training).toType(computeType, false);
    return encoder.forward(ps, hidden, additiveMask(attentionMask), training);
  }

  /**
   * HF's extended attention mask: 0 where attended, float32's minimum where masked, broadcast over heads and
   * query positions, so softmax gives padded keys exactly zero weight. Finite, and added to float32 scores
   * whatever the compute type ({@link SelfAttention}), so a fully masked row stays finite too. Callers pass no
   * mask when nothing is masked (full blocks, as the guide's grouping makes them; the trainer knows this from the
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
