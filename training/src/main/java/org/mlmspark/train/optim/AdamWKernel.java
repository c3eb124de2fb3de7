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
 * torch's single-tensor path runs each line as its own kernel over the whole tensor, ~10 passes over memory for
 * the four tensors (its fused CPU kernel, which HF Trainer uses with torch 2.8+, is not reachable through DJL);
 * one pass is several times faster and rounds the same way (Java float arithmetic is IEEE single precision
 * without contraction into fused multiply-adds).
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

  /**
   * Elements per slice: the kernel copies a slice of each tensor into Java arrays (bulk copies, 4 × 64 KB, which
   * stay in L2), because C2 vectorizes a loop over arrays (sqrt and division included) and not one over direct
   * buffers; that halves the time of a pass that is otherwise bound by scalar sqrt and division.
   */
  static final int SLICE = 1 << 14;

  private static final float[] ZEROS = new float[SLICE];

  /** Each update thread's slice arrays: parameter, gradient, first and second moment. */
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][SLICE]);

  private AdamWKernel() {}

  /** Updates elements [from, to) of one parameter; the four buffers have the parameter's length. */
  static void update(FloatBuffer param, FloatBuffer grad, FloatBuffer expAvg, FloatBuffer expAvgSq, int from,
      int to, Scalars s) {
    float[][] scratch = SCRATCH.get();
    float[] p = scratch[0];
    float[] g = scratch[1];
    float[] m = scratch[2];
    float[] v = scratch[3];
    for (int start = from; start < to; start += SLICE) {
      int length = Math.min(SLICE, to - start);
      param.get(start, p, 0, length);
      grad.get(start, g, 0, length);
      expAvg.get(start, m, 0, length);
      expAvgSq.get(start, v, 0, length);
      update(p, g, m, v, length, s);
      param.put(start, p, 0, length);
      expAvg.put(start, m, 0, length);
      expAvgSq.put(start, v, 0, length);
      grad.put(start, ZEROS, 0, length);
    }
  }

  /** The update of the first {@code length} elements of the arrays, in place (the gradient is left as is). */
  static void update(float[] param, float[] grad, float[] expAvg, float[] expAvgSq, int length, Scalars s) {
    float clip = s.clip;
    float decay = s.decay;
    float mixGradient = s.mixGradient;
    float beta2 = s.beta2;
    float mixSquare = s.mixSquare;
    float bc2Sqrt = s.bc2Sqrt;
    float epsilon = s.epsilon;
    float negStepSize = s.negStepSize;
    for (int i = 0; i < length; i++) {
      float g = grad[i] * clip;
      float m = expAvg[i] + mixGradient * (g - expAvg[i]);
      float v = expAvgSq[i] * beta2 + mixSquare * g * g;
      float denominator = (float) Math.sqrt(v) / bc2Sqrt + epsilon;
      param[i] = param[i] * decay + negStepSize * m / denominator;
      expAvg[i] = m;
      expAvgSq[i] = v;
    }
  }
}
