package org.mlmspark.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.util.Locale;

/** {@code --device auto|cpu|gpu}: auto takes the first GPU the engine sees, else the CPU. */
public final class DeviceChoice {
  private DeviceChoice() {}

  /**
   * Rejects a value no run could use, and {@code gpu} on a machine without a CUDA device, before libtorch loads
   * (CUDA's own runtime answers; {@link #resolve} still asks the engine, whose build may be CPU-only).
   */
  public static void checkRequestable(String choice) {
    switch (choice.toLowerCase(Locale.ROOT)) {
      case "auto", "cpu" -> { }
      case "gpu" -> {
        if (CudaUtils.getGpuCount() == 0) {
          throw new IllegalArgumentException("--device gpu, but this machine has no CUDA device: use --device cpu"
              + " or auto");
        }
      }
      default -> throw new IllegalArgumentException("--device must be auto, cpu or gpu, got " + choice);
    }
  }

  public static Device resolve(String choice) {
    int gpus = Engine.getInstance().getGpuCount();
    return switch (choice.toLowerCase(Locale.ROOT)) {
      case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
      case "cpu" -> Device.cpu();
      case "gpu" -> {
        if (gpus == 0) {
          throw new IllegalArgumentException("--device gpu, but the PyTorch engine sees no GPU (CPU build of"
              + " libtorch, or no CUDA device): use --device cpu or auto");
        }
        yield Device.gpu();
      }
      default -> throw new IllegalArgumentException("--device must be auto, cpu or gpu, got " + choice);
    };
  }
}
