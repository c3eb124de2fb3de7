package org.mlmspark.model;

import ai.djl.ndarray.NDArray;

/** torch.nn.CrossEntropyLoss() as the *ForMaskedLM classes use it: mean over the positions that have a label. */
public final class MaskedLmLoss {
  /** The label of positions that carry no loss (PyTorch's default ignore_index). */
  public static final int IGNORE_INDEX = -100;

  private MaskedLmLoss() {}

  /**
   * @param logits  [n, vocab] scores of the labelled positions
   * @param targets [n] the true token ids
   * @return the scalar mean of -log softmax(logits)[target]
   */
  public static NDArray crossEntropy(NDArray logits, NDArray targets) {
    NDArray logProbs = logits.logSoftmax(-1);
    return logProbs.gather(targets.reshape(-1, 1), 1).mean().neg();
  }
}
