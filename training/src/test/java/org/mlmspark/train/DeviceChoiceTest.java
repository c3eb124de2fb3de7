package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.mlmspark.distributed.RankDevice;
import org.mlmspark.train.DeviceChoice.Decision;
import org.mlmspark.train.DeviceChoice.EngineDevices;

class DeviceChoiceTest {
  private static final EngineDevices CPU_BUILD = new EngineDevices(false, 0, "libtorch 2.7.1 from /cpu");
  private static final EngineDevices TWO_GPUS = new EngineDevices(true, 2, "libtorch 2.7.1 from /cu128");
  private static final EngineDevices CUDA_NO_DEVICE = new EngineDevices(true, 0, "libtorch 2.7.1 from /cu128");

  @Test
  void oneWorkerAutoTakesTheFirstGpuLibtorchSeesElseTheCpu() {
    assertEquals(Device.gpu(0), DeviceChoice.decide("auto", TWO_GPUS).device());
    Decision cpu = DeviceChoice.decide("AUTO", CPU_BUILD);
    assertEquals(Device.cpu(), cpu.device());
    assertTrue(cpu.reason().contains("CPU build"), cpu.reason());
    assertEquals(Device.cpu(), DeviceChoice.decide("auto", CUDA_NO_DEVICE).device());
    assertEquals(Device.cpu(), DeviceChoice.decide("cpu", TWO_GPUS).device());
  }

  @Test
  void gpuWithoutOneIsAnErrorThatSaysWhy() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.decide("gpu", CPU_BUILD));
    assertTrue(e.getMessage().contains("CPU build"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DeviceChoice.decide("tpu", TWO_GPUS));
  }

  @Test
  void ranksUseTheGpuSparkAssignedWhenLibtorchCanDriveIt() {
    Decision d = DeviceChoice.forRank("auto", new RankDevice(1), 0, TWO_GPUS);
    assertEquals(Device.gpu(1), d.device());
    assertTrue(d.reason().contains("Spark assigned GPU 1"), d.reason());
    assertEquals(Device.gpu(1), DeviceChoice.forRank("gpu", new RankDevice(1), 5, TWO_GPUS).device());
    // a CPU build of libtorch cannot use the GPU Spark handed out: auto says so and computes on the CPU
    Decision cpu = DeviceChoice.forRank("auto", new RankDevice(0), 0, CPU_BUILD);
    assertEquals(Device.cpu(), cpu.device());
    assertTrue(cpu.reason().contains("CPU build"), cpu.reason());
    assertThrows(IllegalArgumentException.class, () -> DeviceChoice.forRank("gpu", new RankDevice(0), 0, CPU_BUILD));
  }

  @Test
  void deviceFlagIsHonouredWithWorkers() {
    assertEquals(Device.cpu(), DeviceChoice.forRank("cpu", new RankDevice(0), 0, TWO_GPUS).device());
    // auto without a GPU from Spark stays on the CPU: ranks of one executor would otherwise pick GPUs blindly
    assertEquals(Device.cpu(), DeviceChoice.forRank("auto", RankDevice.CPU, 3, TWO_GPUS).device());
    // gpu without Spark's GPU scheduling (embedded local[N]): the ranks share out the GPUs libtorch sees
    assertEquals(Device.gpu(0), DeviceChoice.forRank("gpu", RankDevice.CPU, 2, TWO_GPUS).device());
    assertEquals(Device.gpu(1), DeviceChoice.forRank("gpu", RankDevice.CPU, 3, TWO_GPUS).device());
    assertThrows(IllegalArgumentException.class, () -> DeviceChoice.forRank("gpu", RankDevice.CPU, 0, CPU_BUILD));
  }

  @Test
  void thisMachinesEngineIsProbedWithoutError() {
    EngineDevices here = EngineDevices.probe();
    assertTrue(here.libtorch().startsWith("libtorch "), here.libtorch());
    assertEquals(here.gpus() > 0 ? Device.gpu(0) : Device.cpu(), DeviceChoice.decide("auto", here).device());
  }
}
