package org.mlmspark.distributed;

import java.io.Serializable;
import java.util.List;

/**
 * The device one rank computes on: the GPU Spark assigned to the rank's task, or the CPU when the task has no GPU.
 * Chosen once by the launcher, so per-rank code never probes for devices itself and two ranks on one host never
 * pick the same GPU by accident.
 *
 * @param gpu the CUDA device ordinal, or -1 for the CPU
 */
public record RankDevice(int gpu) implements Serializable {
  public static final RankDevice CPU = new RankDevice(-1);

  public RankDevice {
    if (gpu < -1) {
      throw new IllegalArgumentException("a GPU ordinal is never negative, got " + gpu);
    }
  }

  /**
   * The device for a task given the {@code gpu} addresses Spark assigned to it ({@code
   * TaskContext.resources().get("gpu").addresses()}; empty or null when the task has none).
   *
   * <p>Addresses are what the discovery script printed (conf/gpu-discovery.sh: CUDA ordinals as the executor
   * sees them). One rank drives one GPU, so a task holding several is a configuration error, not a choice to
   * make silently. A fractional {@code spark.task.resource.gpu.amount} gives several tasks the same single
   * address, which is allowed: they share the GPU.
   */
  public static RankDevice choose(List<String> gpuAddresses) {
    if (gpuAddresses == null || gpuAddresses.isEmpty()) {
      return CPU;
    }
    if (gpuAddresses.size() > 1) {
      throw new IllegalStateException("this task was assigned " + gpuAddresses.size() + " GPUs " + gpuAddresses
          + " but a rank drives exactly one: set spark.task.resource.gpu.amount=1");
    }
    String address = gpuAddresses.get(0).trim();
    if (!address.matches("[0-9]{1,4}")) {
      throw new IllegalStateException("GPU address '" + address + "' is not a CUDA device ordinal; the resource"
          + " discovery script (spark.executor.resource.gpu.discoveryScript) must print ordinals such as \"0\"");
    }
    return new RankDevice(Integer.parseInt(address));
  }

  public boolean isGpu() {
    return gpu >= 0;
  }

  /** {@code cpu} or {@code gpu0}, {@code gpu1}, ...: a name {@code ai.djl.Device.fromName} also accepts. */
  public String name() {
    return isGpu() ? "gpu" + gpu : "cpu";
  }

  public ai.djl.Device toDjl() {
    return isGpu() ? ai.djl.Device.gpu(gpu) : ai.djl.Device.cpu();
  }

  @Override
  public String toString() {
    return name();
  }
}
