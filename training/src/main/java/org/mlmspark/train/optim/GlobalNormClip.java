package org.mlmspark.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.mlmspark.model.blocks.GraphScalars;

/**
 * {@code torch.nn.utils.clip_grad_norm_} with the L2 norm, as HF Trainer applies it before every optimizer
 * step: the total norm is the norm of all gradients taken as one vector; if it exceeds {@code maxNorm} every
 * gradient is scaled by {@code maxNorm / (total + 1e-6)}. DJL's own {@code optClipGrad} clips elementwise,
 * which is a different algorithm.
 *
 * <p>The scaling itself is left to {@link AdamW#step(List, double, float)}, which applies the
 * {@link #coefficient} as it reads each gradient: the same products as torch's {@code g.mul_(coef)}, without a
 * pass of its own over the gradients.
 */
public final class GlobalNormClip {
  private GlobalNormClip() {}

  /**
   * What every gradient is multiplied by, in float32 like torch: min(1, max_norm / (total + 1e-6)), which torch
   * evaluates as reciprocal(total + 1e-6) * max_norm.
   */
  public static float coefficient(float totalNorm, double maxNorm) {
    float scale = (1f / (totalNorm + 1e-6f)) * (float) maxNorm;
    return Math.min(scale, 1f);
  }

  /**
   * The L2 norm of the per-tensor L2 norms, as torch's foreach implementation computes it (what HF logs as
   * grad_norm). Only the scalar crosses to the host.
   */
  public static float totalNorm(List<NDArray> gradients) {
    if (gradients.isEmpty()) {
      return 0;
    }
    try (NDManager scope = NDManager.newBaseManager(gradients.get(0).getDevice())) {
      return totalNorm(gradients, scope).getFloat();
    }
  }

  /** {@link #totalNorm(List)} left on the gradients' device, as a 0-d tensor in {@code manager}. */
  public static NDArray totalNorm(List<NDArray> gradients, NDManager manager) {
    if (gradients.isEmpty()) {
      return manager.zeros(new Shape());
    }
    NDList norms = new NDList(gradients.size());
    try {
      for (NDArray gradient : gradients) {
        norms.add(gradient.norm());
      }
      try (NDArray stacked = NDArrays.stack(norms)) {
        NDArray total = stacked.norm();
        total.attach(manager);
        return total;
      }
    } finally {
      norms.close();
    }
  }

  /**
   * {@link #coefficient(float, double)} computed on the device from a norm there, in {@code norm}'s manager:
   * torch's {@code clamp(max_norm / (total + 1e-6), max=1)}, with nothing read back.
   */
  public static NDArray coefficient(NDArray totalNorm, double maxNorm) {
    try (NDArray shifted = GraphScalars.add(totalNorm, 1e-6f);
        NDArray one = GraphScalars.constant(totalNorm, 1f);
        NDArray reciprocal = one.div(shifted);
        NDArray scale = GraphScalars.multiply(reciprocal, (float) maxNorm)) {
      return scale.minimum(one); // DJL's clip(Number, Number) calls item() on its bounds
    }
  }
}
