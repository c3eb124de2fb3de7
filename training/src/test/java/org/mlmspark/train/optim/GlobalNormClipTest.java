package org.mlmspark.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
  void scalesAllGradientsByMaxNormOverTheTotalNorm() {
    NDArray a = manager.create(new float[] {3, 4});
    NDArray b = manager.create(new float[][] {{12}});
    double norm = GlobalNormClip.clip(List.of(a, b), 1.0);
    assertEquals(13.0, norm, 1e-6); // sqrt(9 + 16 + 144), before clipping
    double scale = 1.0 / (13.0 + 1e-6);
    assertArrayEquals(new float[] {(float) (3 * scale), (float) (4 * scale)}, a.toFloatArray(), 1e-7f);
    assertArrayEquals(new float[] {(float) (12 * scale)}, b.toFloatArray(), 1e-7f);
    assertEquals(1.0, GlobalNormClip.totalNorm(List.of(a, b)), 1e-6);
  }

  @Test
  void leavesGradientsBelowTheLimitUntouched() {
    NDArray a = manager.create(new float[] {0.3f, -0.4f});
    double norm = GlobalNormClip.clip(List.of(a), 1.0);
    assertEquals(0.5, norm, 1e-7);
    assertArrayEquals(new float[] {0.3f, -0.4f}, a.toFloatArray());
  }

  @Test
  void clipsToOtherMaxNorms() {
    NDArray a = manager.create(new float[] {6, 8});
    assertEquals(10.0, GlobalNormClip.clip(List.of(a), 2.5), 1e-6);
    assertArrayEquals(new float[] {1.5f, 2.0f}, a.toFloatArray(), 1e-6f);
  }
}
