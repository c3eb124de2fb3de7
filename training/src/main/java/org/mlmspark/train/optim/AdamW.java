package org.mlmspark.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.AdamW} as HF Trainer configures it: two parameter groups, weight decay on the
 * parameters {@link WeightDecayRule} selects and none on the others, and torch's update per parameter:
 *
 * <pre>
 *   p ← p − lr·wd·p                                      (decoupled weight decay)
 *   m ← β1·m + (1 − β1)·g ;  v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 *
 * The update runs in the engine, in place, one native call per parameter: DJL's fused adamUpdate computes
 * {@code p ← p − lr'·m / (√v + ε')}, which is torch's formula with {@code lr' = lr·√(1 − β2^t)/(1 − β1^t)}
 * and {@code ε' = ε·√(1 − β2^t)} (the same value, rearranged). Nothing is copied to the host.
 *
 * <p>Moments are created on first use as zeros, like torch's lazily initialised state, and are keyed by HF
 * parameter name so that checkpoints name them {@code exp_avg.<name>} and {@code exp_avg_sq.<name>}.
 */
public final class AdamW {
  /** A trainable tensor, its gradient, and its HF name (which decides its weight decay). */
  public record Parameter(String name, NDArray value, NDArray gradient) {}

  /** torch's AdamW hyper-parameters; HF Trainer's defaults are β 0.9 / 0.999, ε 1e-8. */
  public record Hyperparameters(double beta1, double beta2, double epsilon, double weightDecay) {
    public static Hyperparameters hfDefaults(double weightDecay) {
      return new Hyperparameters(0.9, 0.999, 1e-8, weightDecay);
    }
  }

  static final String EXP_AVG = "exp_avg.";
  static final String EXP_AVG_SQ = "exp_avg_sq.";

  private final Hyperparameters hyper;
  private final NDManager stateManager;
  private final Map<String, NDArray> expAvg = new HashMap<>();
  private final Map<String, NDArray> expAvgSq = new HashMap<>();
  private long step;

  /** @param stateManager owns the moment tensors (on the parameters' device); the caller closes it */
  public AdamW(Hyperparameters hyper, NDManager stateManager) {
    this.hyper = hyper;
    this.stateManager = stateManager;
  }

  public Hyperparameters hyperparameters() {
    return hyper;
  }

  /** Optimizer steps taken so far (torch keeps one per parameter; here they always agree). */
  public long stepCount() {
    return step;
  }

  /**
   * One optimizer step over all parameters at learning rate {@code lr}. The engine also zeroes each value's
   * own autograd gradient afterwards (PyTorch's {@code zero_grad}), so pass {@code value.getGradient()} or a
   * separate array, never rely on the gradient after the step.
   */
  public void step(List<Parameter> parameters, double lr) {
    step++;
    double biasCorrection1 = 1 - Math.pow(hyper.beta1(), step);
    double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(hyper.beta2(), step));
    float stepSize = (float) (lr * biasCorrection2Sqrt / biasCorrection1);
    float epsilon = (float) (hyper.epsilon() * biasCorrection2Sqrt);
    for (Parameter parameter : parameters) {
      NDArray value = parameter.value();
      float weightDecay = WeightDecayRule.decays(parameter.name()) ? (float) hyper.weightDecay() : 0f;
      NDArray m = expAvg.computeIfAbsent(parameter.name(), name -> zerosLike(value));
      NDArray v = expAvgSq.computeIfAbsent(parameter.name(), name -> zerosLike(value));
      value.getNDArrayInternal().adamUpdate(
          new NDList(value, parameter.gradient(), m, v),
          new NDList(value),
          (float) lr,
          stepSize,
          weightDecay,
          1f, // no gradient rescaling
          -1f, // no elementwise clipping (clipping is GlobalNormClip's, before the step)
          (float) hyper.beta1(),
          (float) hyper.beta2(),
          epsilon,
          false,
          true); // decoupled weight decay: p ← p − lr·wd·p
    }
  }

  /** The moments named for a checkpoint: {@code exp_avg.<param>}, {@code exp_avg_sq.<param>}. */
  public NDList moments() {
    NDList list = new NDList(expAvg.size() * 2);
    expAvg.forEach((name, array) -> list.add(named(array, EXP_AVG + name)));
    expAvgSq.forEach((name, array) -> list.add(named(array, EXP_AVG_SQ + name)));
    return list;
  }

  /** Restores a checkpoint's step count and moments (copied into this optimizer's state manager). */
  public void restore(long stepCount, NDList moments) {
    for (NDArray array : moments) {
      String name = array.getName();
      NDArray copy = array.toDevice(stateManager.getDevice(), true);
      copy.attach(stateManager);
      if (name != null && name.startsWith(EXP_AVG_SQ)) {
        replace(expAvgSq, name.substring(EXP_AVG_SQ.length()), copy);
      } else if (name != null && name.startsWith(EXP_AVG)) {
        replace(expAvg, name.substring(EXP_AVG.length()), copy);
      } else {
        throw new IllegalArgumentException("not an AdamW moment: " + name);
      }
    }
    if (!expAvg.keySet().equals(expAvgSq.keySet())) {
      throw new IllegalArgumentException("checkpoint has first and second moments for different parameters");
    }
    this.step = stepCount;
  }

  private static void replace(Map<String, NDArray> state, String parameter, NDArray value) {
    NDArray old = state.put(parameter, value);
    if (old != null) {
      old.close();
    }
  }

  private NDArray zerosLike(NDArray value) {
    return stateManager.zeros(value.getShape(), value.getDataType(), value.getDevice());
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }
}
