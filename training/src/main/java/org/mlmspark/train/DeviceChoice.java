package org.mlmspark.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** {@code --device auto|cpu|gpu}: auto takes the first GPU the engine sees, else the CPU. */
public final class DeviceChoice {
  private DeviceChoice() {}

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
