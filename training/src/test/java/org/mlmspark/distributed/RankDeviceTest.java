package org.mlmspark.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankDeviceTest {
  @Test
  void aTaskWithoutGpusComputesOnTheCpu() {
    assertEquals(RankDevice.CPU, RankDevice.choose(null));
    assertEquals(RankDevice.CPU, RankDevice.choose(List.of()));
    assertFalse(RankDevice.CPU.isGpu());
    assertEquals("cpu", RankDevice.CPU.name());
  }

  @Test
  void aTaskUsesExactlyTheGpuSparkAssignedToIt() {
    RankDevice device = RankDevice.choose(List.of("3"));
    assertTrue(device.isGpu());
    assertEquals(3, device.gpu());
    assertEquals("gpu3", device.name());
    assertEquals(ai.djl.Device.gpu(3), device.toDjl());
    assertEquals(ai.djl.Device.cpu(), RankDevice.CPU.toDjl());
    assertEquals(RankDevice.choose(List.of(" 0 ")), new RankDevice(0));
  }

  @Test
  void severalGpusForOneTaskIsAConfigurationError() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> RankDevice.choose(List.of("0", "1")));
    assertTrue(e.getMessage().contains("spark.task.resource.gpu.amount=1"), e.getMessage());
  }

  @Test
  void anAddressThatIsNotACudaOrdinalIsRefused() {
    for (String address : List.of("GPU-5f3c2a", "-1", "", "0,1")) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> RankDevice.choose(List.of(address)), address);
      assertTrue(e.getMessage().contains("discoveryScript"), e.getMessage());
    }
  }
}
