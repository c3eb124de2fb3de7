package org.mlmspark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records the autograd graph on the calling thread only, and backpropagates through it. DJL's
 * {@code PtGradientCollector} allows one collector per JVM (a static flag), which rules out data-parallel ranks
 * that share an executor JVM (Spark task threads, several GPUs per executor); torch's grad mode itself is
 * thread-local, so one collector per thread is safe. Gradients accumulate into the parameters' gradients,
 * as with DJL's collector.
 *
 * <p>Closing turns grad mode off, whatever it was: DJL expects it off outside a collector (the PyTorch engine
 * turns it off in the thread that loads it), but torch starts every other thread, e.g. a Spark task, with it on,
 * and then the optimizer's in-place updates of the parameters fail.
 */
final class ThreadGradientCollector implements AutoCloseable {
  ThreadGradientCollector() {
    JniUtils.setGradMode(true);
  }

  /** Adds d(target)/d(parameter) to every parameter's gradient; {@code target} is a scalar. */
  void backward(NDArray target) {
    try (NDArray seed = target.onesLike()) {
      JniUtils.backward((PtNDArray) target, (PtNDArray) seed, false, false);
    }
  }

  @Override
  public void close() {
    JniUtils.setGradMode(false);
  }
}
