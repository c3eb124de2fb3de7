package org.mlmspark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.train.data.MaskedBatch;

/**
 * A masked batch uploaded for one forward pass, with what the host already knows about it so that the forward
 * never reads back from the device: whether any position is padding (no mask at all when none is) and where the
 * labels are.
 *
 * @param attentionMask null when every position is a real token
 * @param positions     flat indexes of the labelled positions, ascending
 */
record DeviceBatch(NDArray inputIds, NDArray attentionMask, NDArray labels, NDArray positions) {

  /** Uploads {@code batch} into {@code manager} (on its device). */
  static DeviceBatch upload(NDManager manager, MaskedBatch batch) {
    Shape shape = new Shape(batch.batchSize(), batch.sequenceLength());
    boolean padded = false;
    for (int value : batch.attentionMask()) {
      padded |= value == 0;
    }
    int[] labels = batch.labels();
    long[] positions = new long[batch.labelCount()];
    for (int i = 0, n = 0; i < labels.length; i++) {
      if (labels[i] != MaskedBatch.IGNORE_INDEX) {
        positions[n++] = i;
      }
    }
    return new DeviceBatch(longs(manager, batch.inputIds(), shape),
        padded ? longs(manager, batch.attentionMask(), shape) : null, longs(manager, labels, shape),
        manager.create(positions));
  }

  /** The mean masked-LM loss of the batch. */
  NDArray loss(MaskedLmModel model, boolean training) {
    return model.loss(inputIds, attentionMask, labels, positions, training);
  }

  /** The labelled positions' scores and labels: {@link MaskedLmModel#labelledLogits}. */
  NDList labelledLogits(MaskedLmModel model, boolean training) {
    return model.labelledLogits(inputIds, attentionMask, labels, positions, training);
  }

  static NDArray longs(NDManager manager, int[] values, Shape shape) {
    long[] wide = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    return manager.create(wide, shape);
  }
}
