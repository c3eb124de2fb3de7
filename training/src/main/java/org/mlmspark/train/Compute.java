package org.mlmspark.train;

import java.io.Serializable;
import java.util.Locale;

/**
 * How a run computes, apart from the recipe: the device choice ({@link DeviceChoice}) and HF Trainer's
 * {@code bf16} and {@code tf32} switches.
 *
 * @param device {@code auto}, {@code cpu} or {@code gpu}
 * @param bf16   the forward and backward in bfloat16 over float32 master weights ({@link
 *               org.mlmspark.model.MaskedLmModel#setComputeType})
 * @param tf32   TF32 matrix products on Ampere and newer GPUs; libtorch reads the switch once, from the
 *               environment variable {@value #TF32_VARIABLE}, which the launcher sets
 */
public record Compute(String device, boolean bf16, boolean tf32) implements Serializable {
  public static final String TF32_VARIABLE = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

  public static final Compute DEFAULT = new Compute("auto", false, false);

  public Compute {
    String lower = device.toLowerCase(Locale.ROOT);
    if (!lower.equals("auto") && !lower.equals("cpu") && !lower.equals("gpu")) {
      throw new IllegalArgumentException("--device must be auto, cpu or gpu, got " + device);
    }
    device = lower;
  }

  /**
   * Refuses {@code --tf32} in a JVM whose libtorch was not started with the switch: it would silently train in
   * full float32.
   */
  public void requireTf32Environment() {
    if (tf32 && !"1".equals(System.getenv(TF32_VARIABLE))) {
      throw new IllegalArgumentException("--tf32 needs " + TF32_VARIABLE + "=1 in the environment before libtorch"
          + " starts (bin/ launchers set it; on a cluster: --conf spark.executorEnv." + TF32_VARIABLE + "=1)");
    }
  }

  /** The precision part of the per-rank log line. */
  public String precision() {
    return (bf16 ? "bf16 compute, fp32 master weights" : "fp32") + (tf32 ? ", tf32 matmuls" : "");
  }
}
