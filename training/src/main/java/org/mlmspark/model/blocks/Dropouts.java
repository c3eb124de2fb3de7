package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;

/** nn.Dropout semantics: identity in eval mode or at rate 0 (skipping the op keeps inference cheap). */
final class Dropouts {
  private Dropouts() {}

  static NDArray apply(NDArray x, float rate, boolean training) {
    return training && rate > 0 ? Dropout.dropout(x, rate, true).singletonOrThrow() : x;
  }
}
