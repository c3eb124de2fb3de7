package org.mlmspark.train.optim;

import java.nio.FloatBuffer;

/**
 * One AdamW step over a range of elements in a single pass: reads parameter, gradient and both moments once,
 * writes them once, and leaves the gradient zeroed. The arithmetic is {@code torch.optim.AdamW}'s single-tensor
 * path with the clip coefficient of {@code clip_grad_norm_} applied first, float32 operation for operation:
 *
 * <pre>
 *   g ← g·clip                                   clip_grad_norm_'s g.mul_(coef)
 *   p ← p·(1 − lr·wd)                             param.mul_(1 - lr * weight_decay)
 *   m ← m + (1 − β1)·(g − m)                      exp_avg.lerp_(grad, 1 - beta1)
 *   v ← v·β2 + (1 − β2)·g·g                       exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
 *   p ← p + (−lr / bc1)·m / (√v / √bc2 + ε)       param.addcdiv_(exp_avg, denom, value=-step_size)
 * </pre>
 *
 * torch runs each line as its own kernel over the whole tensor, i.e. ~10 passes over memory for the four
 * tensors; on a CPU the update is memory-bound, so one pass is several times faster and rounds the same way
 * (Java float arithmetic is IEEE single precision without contraction into fused multiply-adds).
 */
final class AdamWKernel {
  /**
   * A step's scalars, rounded to float32 as torch rounds a Python scalar applied to a float32 tensor.
   *
   * @param clip          the gradient scale from global-norm clipping (1: no clipping)
   * @param decay         1 − lr·weight_decay (1 for parameters without weight decay)
   * @param mixGradient   1 − β1, the lerp weight of the gradient in the first moment
   * @param beta2         β2
   * @param mixSquare     1 − β2
   * @param bc2Sqrt       √(1 − β2^t)
   * @param epsilon       ε
   * @param negStepSize   −lr / (1 − β1^t)
   */
  record Scalars(float clip, float decay, float mixGradient, float beta2, float mixSquare, float bc2Sqrt,
      float epsilon, float negStepSize) {

    static Scalars of(AdamW.Hyperparameters hyper, long step, double lr, boolean decays, float clip) {
      double biasCorrection1 = 1 - Math.pow(hyper.beta1(), step);
      double biasCorrection2 = 1 - Math.pow(hyper.beta2(), step);
      return new Scalars(clip, (float) (1 - (decays ? lr * hyper.weightDecay() : 0)), (float) (1 - hyper.beta1()),
          (float) hyper.beta2(), (float) (1 - hyper.beta2()), (float) Math.sqrt(biasCorrection2),
          (float) hyper.epsilon(), (float) (-lr / biasCorrection1));
    }
  }

  private AdamWKernel() {}

  /** Updates elements [from, to) of one parameter; the four buffers have the parameter's length. */
  static void update(FloatBuffer param, FloatBuffer grad, FloatBuffer expAvg, FloatBuffer expAvgSq, int from,
      int to, Scalars s) {
    for (int i = from; i < to; i++) {
      float g = grad.get(i) * s.clip;
      float m = expAvg.get(i);
      m = m + s.mixGradient * (g - m);
      float v = expAvgSq.get(i) * s.beta2 + s.mixSquare * g * g;
      float denominator = (float) Math.sqrt(v) / s.bc2Sqrt + s.epsilon;
      param.put(i, param.get(i) * s.decay + s.negStepSize * m / denominator);
      expAvg.put(i, m);
      expAvgSq.put(i, v);
      grad.put(i, 0f);
    }
  }
}
