package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** How a family numbers token positions before looking up the position embeddings. */
@FunctionalInterface
public interface PositionIds {

  NDArray of(NDArray inputIds);

  /** BERT, DistilBERT: 0, 1, 2, ... for every row. */
  static PositionIds sequential() {
    return ids -> ids.getManager().arange(0L, ids.getShape().get(1), 1L, DataType.INT64)
        .expandDims(0).broadcast(ids.getShape());
  }

  /**
   * RoBERTa (fairseq's make_positions, HF's create_position_ids_from_input_ids): real tokens count from
   * {@code padId + 1}, padding tokens stay at {@code padId}, so a padded row sees the same positions as unpadded.
   */
  static PositionIds fromInputIds(int padId) {
    return ids -> {
      NDArray notPad = GraphScalars.notEqual(ids, padId).toType(DataType.INT64, false);
      return GraphScalars.add(notPad.cumSum(1).mul(notPad), padId);
    };
  }
}
