package org.mlmspark.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * {@code torch.nn.utils.clip_grad_norm_} with the L2 norm, as HF Trainer applies it before every optimizer
 * step: the total norm is the norm of all gradients taken as one vector; if it exceeds {@code maxNorm} every
 * gradient is scaled by {@code maxNorm / (total + 1e-6)}. DJL's own {@code optClipGrad} clips elementwise,
 * which is a different algorithm.
 */
public final class GlobalNormClip {
  private GlobalNormClip() {}

  /**
   * Clips the gradients in place and returns their total norm before clipping (what HF logs as grad_norm).
   * Only the scalar norm crosses to the host.
   */
  public static double clip(List<NDArray> gradients, double maxNorm) {
    if (gradients.isEmpty()) {
      return 0;
    }
    float total = totalNorm(gradients);
    // In float32 like torch: max_norm / (total + 1e-6), which torch evaluates as reciprocal(...) * max_norm.
    float scale = (1f / (total + 1e-6f)) * (float) maxNorm;
    if (scale < 1f) { // torch multiplies by min(scale, 1); by 1 changes nothing
      for (NDArray gradient : gradients) {
        gradient.muli(scale);
      }
    }
    return total;
  }

  /** The L2 norm of the per-tensor L2 norms, as torch's foreach implementation computes it. */
  static float totalNorm(List<NDArray> gradients) {
    NDList norms = new NDList(gradients.size());
    try {
      for (NDArray gradient : gradients) {
        norms.add(gradient.norm());
      }
      try (NDArray stacked = NDArrays.stack(norms); NDArray total = stacked.norm()) {
        return total.getFloat();
      }
    } finally {
      norms.close();
    }
  }
}
