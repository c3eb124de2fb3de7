package org.mlmspark.train;

import java.io.Serializable;
import java.util.Locale;

/**
 * How a run computes, apart from the recipe: the device choice ({@link DeviceChoice}) and HF Trainer's
 * {@code tf32} switch.
 *
 * @param device {@code auto}, {@code cpu} or {@code gpu}
 * @param tf32   TF32 matrix products on Ampere and newer GPUs; libtorch reads the switch once, from the
 *               environment variable {@value #TF32_VARIABLE}, which the launcher sets
 */
public record Compute(String device, boolean tf32) implements Serializable {
  public static final String TF32_VARIABLE = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

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

  /**
   * HF's {@code bf16=True} cannot be had through DJL 0.36: its PyTorch JNI maps no DJL type to bfloat16 (its
   * dtype table ends at complex64 and answers anything else with a bare {@code throw;}, which aborts the JVM), so
   * not one bfloat16 tensor can be made, cast or loaded.
   */
  public static final String BF16_UNAVAILABLE = "--bf16: DJL 0.36's PyTorch engine has no bfloat16 tensors"
      + " (its JNI maps no type to torch.bfloat16, and trying aborts the JVM); use --tf32 on Ampere+ GPUs";

  /** The precision part of the per-rank log line. */
  public String precision() {
    return tf32 ? "fp32, tf32 matmuls" : "fp32";
  }
}
