package org.mlmspark.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import java.util.Locale;
import org.mlmspark.distributed.RankDevice;

/**
 * {@code --device auto|cpu|gpu}, for one worker and for each data-parallel rank, with the reason in words.
 *
 * <p>CUDA is detected through libtorch itself (the engine's {@code CUDA} capability is
 * {@code torch::cuda::is_available()}). DJL's {@code Engine.getGpuCount()} loads {@code libcudart.so} through JNA,
 * which a pip-installed libtorch does not ship (only {@code libcudart.so.N}): it then counts 0 GPUs while libtorch
 * drives them. When it does, the devices are counted by allocating on each ordinal until one is refused.
 */
public final class DeviceChoice {
  /** What this JVM's libtorch can drive. */
  public record EngineDevices(boolean cuda, int gpus, String libtorch) {
    private static final int MAX_ORDINALS = 64;

    /** Asks the loaded engine. */
    public static EngineDevices probe() {
      Engine engine = Engine.getEngine("PyTorch");
      String libtorch = "libtorch " + engine.getVersion() + " from " + LibUtils.getLibtorchPath();
      if (!engine.hasCapability(StandardCapabilities.CUDA)) {
        return new EngineDevices(false, 0, libtorch);
      }
      int counted = CudaUtils.getGpuCount();
      return new EngineDevices(true, counted > 0 ? counted : allocatable(), libtorch);
    }

    private static int allocatable() {
      int ordinal = 0;
      while (ordinal < MAX_ORDINALS) {
        try (NDManager probe = NDManager.newBaseManager(Device.gpu(ordinal), "PyTorch")) {
          probe.zeros(new Shape(1));
        } catch (EngineException | IllegalArgumentException e) {
          break; // "invalid device ordinal"
        }
        ordinal++;
      }
      return ordinal;
    }

    private String noGpu() {
      return cuda ? libtorch + " has CUDA but sees no device (CUDA_VISIBLE_DEVICES?)"
          : libtorch + " is a CPU build (no CUDA capability; see README, GPUs)";
    }
  }

  /** A device and why it was chosen, for the log line each rank prints. */
  public record Decision(Device device, String reason) {
    /** {@code gpu3 (reason)}, {@code cpu (reason)}. */
    @Override
    public String toString() {
      return name(device) + " (" + reason + ")";
    }
  }

  /** {@code cpu}, {@code gpu0}, {@code gpu1}, ... (DJL's own {@code toString} says {@code cpu()}, {@code gpu(0)}). */
  public static String name(Device device) {
    return device.isGpu() ? "gpu" + device.getDeviceId() : "cpu";
  }

  private DeviceChoice() {}

  /**
   * Rejects a value no run could use, and {@code gpu} on a machine without a CUDA device, before libtorch loads
   * (CUDA's own runtime answers; {@link #resolve} still asks the engine, whose build may be CPU-only).
   */
  public static void checkRequestable(String choice) {
    if (parse(choice).equals("gpu") && CudaUtils.getGpuCount() == 0) {
      throw new IllegalArgumentException("--device gpu, but this machine has no CUDA device: use --device cpu"
          + " or auto");
    }
  }

  /** One worker in this JVM: the engine decides. */
  public static Device resolve(String choice) {
    return decide(choice, EngineDevices.probe()).device();
  }

  /**
   * One worker: {@code auto} takes GPU 0 when libtorch sees one, else the CPU; {@code gpu} insists on a GPU.
   *
   * @throws IllegalArgumentException for an unknown choice, or {@code gpu} where there is none
   */
  public static Decision decide(String choice, EngineDevices engine) {
    return switch (parse(choice)) {
      case "cpu" -> new Decision(Device.cpu(), "--device cpu");
      case "auto" -> engine.gpus > 0
          ? new Decision(Device.gpu(0), "--device auto: " + engine.libtorch + " sees " + engine.gpus + " GPU(s)")
          : new Decision(Device.cpu(), "--device auto: " + engine.noGpu());
      default -> {
        if (engine.gpus == 0) {
          throw new IllegalArgumentException("--device gpu, but " + engine.noGpu() + ": use --device cpu or auto");
        }
        yield new Decision(Device.gpu(0), "--device gpu: " + engine.libtorch + " sees " + engine.gpus + " GPU(s)");
      }
    };
  }

  /**
   * One data-parallel rank, given the GPU Spark assigned to its task (if any). {@code cpu} always computes on the
   * CPU; {@code auto} uses the assigned GPU when libtorch can drive it, else the CPU; {@code gpu} uses the assigned
   * GPU, or without one (embedded {@code local[N]}, no GPU scheduling) GPU {@code rank mod count} of those libtorch
   * sees, and fails where libtorch sees none.
   */
  public static Decision forRank(String choice, RankDevice assigned, int rank, EngineDevices engine) {
    String spark = assigned.isGpu() ? "Spark assigned GPU " + assigned.gpu() : "Spark assigned no GPU";
    return switch (parse(choice)) {
      case "cpu" -> new Decision(Device.cpu(), "--device cpu" + (assigned.isGpu() ? "; " + spark + ", unused" : ""));
      case "auto" -> {
        if (!assigned.isGpu()) {
          yield new Decision(Device.cpu(), "--device auto: " + spark + " (spark.task.resource.gpu.amount)");
        }
        yield engine.cuda
            ? new Decision(Device.gpu(assigned.gpu()), "--device auto: " + spark + ", " + engine.libtorch)
            : new Decision(Device.cpu(), "--device auto: " + spark + " but " + engine.noGpu());
      }
      default -> {
        if (assigned.isGpu() && engine.cuda) {
          yield new Decision(Device.gpu(assigned.gpu()), "--device gpu: " + spark + ", " + engine.libtorch);
        }
        if (engine.gpus == 0) {
          throw new IllegalArgumentException("--device gpu, but on this executor " + engine.noGpu());
        }
        int gpu = rank % engine.gpus;
        yield new Decision(Device.gpu(gpu), String.format(Locale.ROOT, "--device gpu: %s; %s sees %d GPU(s), rank"
            + " %d takes %d (rank mod %d)", spark, engine.libtorch, engine.gpus, rank, gpu, engine.gpus));
      }
    };
  }

  private static String parse(String choice) {
    String lower = choice.toLowerCase(Locale.ROOT);
    if (!lower.equals("auto") && !lower.equals("cpu") && !lower.equals("gpu")) {
      throw new IllegalArgumentException("--device must be auto, cpu or gpu, got " + choice);
    }
    return lower;
  }
}
