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
 * The update runs in the engine with in-place operations, reusing the gradient as scratch space, so a step
 * allocates one tensor per parameter (for √v) and copies nothing to the host. Fresh tensors are what costs
 * most on this kind of machine (first-touch page faults: an allocating op over 330 MB is several times slower
 * than the same op in place), which is also why DJL's own adamUpdate, allocating six temporaries, is not used.
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
   * One optimizer step over all parameters at learning rate {@code lr}. Each gradient serves as scratch space
   * and is left zeroed, as {@code optimizer.zero_grad()} would leave it.
   */
  public void step(List<Parameter> parameters, double lr) {
    step++;
    double beta1 = hyper.beta1();
    double beta2 = hyper.beta2();
    double biasCorrection1 = 1 - Math.pow(beta1, step);
    double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    // torch's (lr / bc1) · m / (√v / √bc2 + ε), rearranged to save a pass: (lr·√bc2 / bc1) · m / (√v + ε·√bc2)
    float stepSize = (float) (lr * biasCorrection2Sqrt / biasCorrection1);
    float epsilon = (float) (hyper.epsilon() * biasCorrection2Sqrt);
    for (Parameter parameter : parameters) {
      NDArray value = parameter.value();
      NDArray gradient = parameter.gradient();
      NDArray m = expAvg.computeIfAbsent(parameter.name(), name -> zerosLike(value));
      NDArray v = expAvgSq.computeIfAbsent(parameter.name(), name -> zerosLike(value));
      double decay = WeightDecayRule.decays(parameter.name()) ? lr * hyper.weightDecay() : 0;
      if (decay != 0) {
        value.muli((float) (1 - decay));
      }
      gradient.muli((float) (1 - beta1)); // g ← (1 − β1)·g
      m.muli((float) beta1).addi(gradient);
      gradient.muli(gradient).muli((float) ((1 - beta2) / ((1 - beta1) * (1 - beta1)))); // g ← (1 − β2)·g²
      v.muli((float) beta2).addi(gradient);
      try (NDArray denominator = v.sqrt()) { // the step's only new tensor: DJL has no in-place sqrt
        denominator.addi(epsilon);
        gradient.muli(0).addi(m).divi(denominator).muli(stepSize); // g ← m / (√v + ε') · step size
      }
      value.subi(gradient);
      gradient.muli(0);
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
      // toDevice(device, true) returns a view when the device is already right (torch's to() ignores the flag),
      // and a decoded array's memory belongs to its buffer: only duplicate() gives the moments memory of their own.
      NDArray copy = array.toDevice(stateManager.getDevice(), false).duplicate();
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
