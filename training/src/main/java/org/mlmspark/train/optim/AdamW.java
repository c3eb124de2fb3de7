package org.mlmspark.train.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

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
 * On the CPU the update is memory-bound, so it runs as one pass over each parameter's memory
 * ({@link AdamWKernel}, on as many threads as torch uses) instead of torch's ~10 kernels per parameter: at
 * distilroberta-base size that is ~6× less CPU time per step. Off the host (GPU) it runs in the engine as DJL's
 * {@code adamUpdate}: one native call per parameter, scalars passed natively. Its temporaries (a clone of the
 * gradient and a few more) are cheap from CUDA's caching allocator; on the CPU fresh tensors cost first-touch
 * page faults, one more reason for the host kernel there.
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

  /** Elements per task of the host update: small enough to balance the threads, large enough to stream. */
  private static final int CHUNK = 1 << 18;

  /**
   * The host update's threads, as many as torch's intra-op threads: the update runs between torch operations,
   * never beside them. Daemon threads, shared by every optimizer of the JVM.
   */
  private static final ExecutorService HOST_THREADS = new ForkJoinPool(
      Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));

  static final String EXP_AVG = "exp_avg.";
  static final String EXP_AVG_SQ = "exp_avg_sq.";

  private final Hyperparameters hyper;
  private final NDManager stateManager;
  private final Map<String, NDArray> expAvg = new HashMap<>();
  private final Map<String, NDArray> expAvgSq = new HashMap<>();
  private final boolean hostKernel;
  private long step;

  /** @param stateManager owns the moment tensors (on the parameters' device); the caller closes it */
  public AdamW(Hyperparameters hyper, NDManager stateManager) {
    this(hyper, stateManager, true);
  }

  /** @param hostKernel false: update CPU tensors with engine operations too, as on a GPU (to compare the two) */
  AdamW(Hyperparameters hyper, NDManager stateManager, boolean hostKernel) {
    this.hyper = hyper;
    this.stateManager = stateManager;
    this.hostKernel = hostKernel;
  }

  public Hyperparameters hyperparameters() {
    return hyper;
  }

  /** Optimizer steps taken so far (torch keeps one per parameter; here they always agree). */
  public long stepCount() {
    return step;
  }

  /**
   * One optimizer step over all parameters at learning rate {@code lr}. Each gradient is left zeroed, as
   * {@code optimizer.zero_grad()} would leave it.
   */
  public void step(List<Parameter> parameters, double lr) {
    step(parameters, lr, 1f);
  }

  /**
   * One optimizer step on the gradients scaled by {@code clip} (the coefficient of {@link GlobalNormClip}; 1 when
   * not clipping), which saves clipping its own pass over the gradients. Each gradient is left zeroed.
   */
  public void step(List<Parameter> parameters, double lr, float clip) {
    step++;
    List<Callable<Void>> hostWork = new ArrayList<>();
    for (Parameter parameter : parameters) {
      NDArray value = parameter.value();
      NDArray m = expAvg.computeIfAbsent(parameter.name(), name -> zerosLike(value));
      NDArray v = expAvgSq.computeIfAbsent(parameter.name(), name -> zerosLike(value));
      AdamWKernel.Scalars scalars =
          AdamWKernel.Scalars.of(hyper, step, lr, WeightDecayRule.decays(parameter.name()), clip);
      if (hostKernel && Device.cpu().equals(value.getDevice())) {
        addHostWork(hostWork, value, parameter.gradient(), m, v, scalars);
      } else {
        engineUpdate(value, parameter.gradient(), m, v, scalars, lr, hyper.weightDecay(), (float) hyper.beta1());
      }
    }
    runAll(hostWork);
  }

  /**
   * {@link #step(List, double, float)} with the clip coefficient as a 0-d tensor on the parameters' device, so that
   * nothing is read back: off the host the gradients are scaled in place by it first, as {@code clip_grad_norm_}
   * does ({@code g.mul_(clip_coef_clamped)}), and the engine's update runs unscaled; on the host, where reading it
   * is a memory load, it goes to the host kernel.
   */
  public void step(List<Parameter> parameters, double lr, NDArray clip) {
    if (parameters.isEmpty() || hostKernel && Device.cpu().equals(parameters.get(0).value().getDevice())) {
      step(parameters, lr, clip.getFloat());
      return;
    }
    for (Parameter parameter : parameters) {
      parameter.gradient().muli(clip);
    }
    step(parameters, lr, 1f);
  }

  /**
   * Cuts a CPU parameter into chunks for {@link AdamWKernel}, which works on the tensors' memory in place (direct
   * buffers: parameters, their gradients and the moments are contiguous, as torch lays out a gradient like its
   * parameter).
   */
  private static void addHostWork(List<Callable<Void>> work, NDArray value, NDArray gradient, NDArray m,
      NDArray v, AdamWKernel.Scalars scalars) {
    FloatBuffer p = floats(value);
    FloatBuffer g = floats(gradient);
    FloatBuffer mBuffer = floats(m);
    FloatBuffer vBuffer = floats(v);
    int size = p.capacity();
    if (g.capacity() != size || mBuffer.capacity() != size || vBuffer.capacity() != size) {
      throw new IllegalArgumentException("gradient or moments of another size than the parameter: " + size);
    }
    for (int from = 0; from < size; from += CHUNK) {
      int start = from;
      int end = Math.min(size, from + CHUNK);
      work.add(() -> {
        AdamWKernel.update(p, g, mBuffer, vBuffer, start, end, scalars);
        return null;
      });
    }
  }

  private static FloatBuffer floats(NDArray array) {
    if (array.getDataType() != DataType.FLOAT32 || array.isSparse()) {
      // the engine would hand over a dense copy of a sparse tensor, and the update would be lost
      throw new IllegalArgumentException("AdamW updates dense float32 tensors, got " + array.getDataType()
          + (array.isSparse() ? " sparse" : ""));
    }
    ByteBuffer buffer = array.toByteBuffer(true);
    if (!buffer.isDirect()) {
      throw new IllegalStateException("the engine gave no direct access to a CPU tensor's memory");
    }
    return buffer.asFloatBuffer();
  }

  private static void runAll(List<Callable<Void>> work) {
    if (work.isEmpty()) {
      return;
    }
    try {
      for (Future<Void> done : HOST_THREADS.invokeAll(work)) {
        done.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the optimizer step", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("optimizer step failed", e.getCause());
    }
  }

  /**
   * The same update in the engine, for parameters off the host (GPU): DJL's {@code adamUpdate} in AdamW mode, one
   * native call per parameter with every scalar passed as a kernel argument (nothing uploaded, nothing read
   * back), the clip coefficient as its gradient rescale, and the gradient zeroed. Its last line computes
   * p ← p − m·a / (√v + e); with a = lr·√bc2/bc1 and e = ε·√bc2 that is torch's (lr/bc1)·m / (√v/√bc2 + ε).
   */
  private static void engineUpdate(NDArray value, NDArray gradient, NDArray m, NDArray v,
      AdamWKernel.Scalars s, double lr, double weightDecay, float beta1) {
    value.getNDArrayInternal().adamUpdate(new NDList(value, gradient, m, v), new NDList(value), (float) lr,
        -s.negStepSize() * s.bc2Sqrt(), s.decay() == 1f ? 0f : (float) weightDecay, s.clip(), -1f, beta1,
        s.beta2(), s.epsilon() * s.bc2Sqrt(), false, true);
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
