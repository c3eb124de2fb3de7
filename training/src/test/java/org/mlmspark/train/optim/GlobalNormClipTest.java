package org.mlmspark.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GlobalNormClipTest {
  NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void totalNormIsTheNormOfAllGradientsAsOneVector() {
    NDArray a = manager.create(new float[] {3, 4});
    NDArray b = manager.create(new float[][] {{12}});
    assertEquals(13.0, GlobalNormClip.totalNorm(List.of(a, b)), 1e-6); // sqrt(9 + 16 + 144)
    assertEquals(0.0, GlobalNormClip.totalNorm(List.of()));
  }

  @Test
  void scalesByMaxNormOverTheTotalNormWhenAbove() {
    assertEquals((float) (1.0 / (13.0 + 1e-6)), GlobalNormClip.coefficient(13f, 1.0), 1e-9);
    assertEquals(0.25f, GlobalNormClip.coefficient(10f, 2.5), 1e-7);
  }

  @Test
  void leavesGradientsBelowTheLimitUntouched() {
    assertEquals(1f, GlobalNormClip.coefficient(0.5f, 1.0));
    assertEquals(1f, GlobalNormClip.coefficient(0f, 1.0));
  }

  /** The coefficient computed on the device, where nothing is read back, has the host's float32 bits. */
  @Test
  void deviceCoefficientEqualsTheHostOne() {
    for (float norm : new float[] {0f, 0.5f, 0.999999f, 1f, 1.0000001f, 13f, 2.5e4f}) {
      for (double maxNorm : new double[] {1.0, 2.5}) {
        try (NDArray total = manager.create(norm);
            NDArray coefficient = GlobalNormClip.coefficient(total, maxNorm)) {
          assertEquals(GlobalNormClip.coefficient(norm, maxNorm), coefficient.getFloat(), "norm " + norm);
        }
      }
    }
  }
}
