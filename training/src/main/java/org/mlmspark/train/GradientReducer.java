package org.mlmspark.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * How one rank's step combines with the other ranks': element-wise sums across all ranks, in place. The trainer
 * is the same loop for one worker ({@link #SINGLE_WORKER}, nothing to combine) and for N data-parallel workers
 * (an all-reduce). Every rank makes the same calls in the same order with the same lengths.
 */
public interface GradientReducer {
  /** One worker: its sums are already the totals. */
  GradientReducer SINGLE_WORKER = new GradientReducer() {
    @Override
    public void sumScalars(double[] values) {}

    @Override
    public void sumGradients(List<NDArray> gradients) {}
  };

  /** Replaces each value by its sum over the ranks (label counts, loss sums). */
  void sumScalars(double[] values);

  /** Replaces each gradient by its sum over the ranks. */
  void sumGradients(List<NDArray> gradients);
}
