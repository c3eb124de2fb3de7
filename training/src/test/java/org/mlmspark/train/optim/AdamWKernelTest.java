package org.mlmspark.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdamWKernelTest {
  static final AdamWKernel.Scalars SCALARS =
      AdamWKernel.Scalars.of(AdamW.Hyperparameters.hfDefaults(0.01), 3, 1e-3, true, 0.5f);

  /** Slices of the buffers go through the array kernel: a range across slice boundaries, and nothing outside it. */
  @Test
  void bufferRangeIsUpdatedSliceBySliceAndTheRestIsUntouched() {
    int size = 2 * AdamWKernel.SLICE + 100;
    int from = 7;
    int to = 2 * AdamWKernel.SLICE + 50;
    float[][] initial = new float[4][];
    SplittableRandom random = new SplittableRandom(3);
    for (int t = 0; t < 4; t++) {
      initial[t] = new float[size];
      for (int i = 0; i < size; i++) {
        initial[t][i] = (float) (t == 3 ? random.nextDouble(0, 1e-4) : random.nextDouble(-1, 1));
      }
    }
    FloatBuffer[] buffers = new FloatBuffer[4];
    for (int t = 0; t < 4; t++) {
      buffers[t] = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
      buffers[t].put(0, initial[t]);
    }
    AdamWKernel.update(buffers[0], buffers[1], buffers[2], buffers[3], from, to, SCALARS);

    float[][] expected = new float[4][];
    for (int t = 0; t < 4; t++) {
      expected[t] = initial[t].clone();
    }
    float[][] range = new float[4][];
    for (int t = 0; t < 4; t++) {
      range[t] = java.util.Arrays.copyOfRange(initial[t], from, to);
    }
    AdamWKernel.update(range[0], range[1], range[2], range[3], to - from, SCALARS);
    for (int t : new int[] {0, 2, 3}) {
      System.arraycopy(range[t], 0, expected[t], from, to - from);
    }
    java.util.Arrays.fill(expected[1], from, to, 0f); // the gradient is zeroed, as zero_grad leaves it
    for (int t = 0; t < 4; t++) {
      float[] actual = new float[size];
      buffers[t].get(0, actual);
      assertArrayEquals(expected[t], actual, "tensor " + t);
    }
  }

  /** One element against torch's sequence of float32 kernels, written out. */
  @Test
  void oneElementFollowsTorchsOperations() {
    float[] p = {0.5f};
    float[] g = {-0.25f};
    float[] m = {0.01f};
    float[] v = {1e-4f};
    AdamWKernel.update(p, g, m, v, 1, SCALARS);
    float clipped = -0.25f * 0.5f;
    float expAvg = 0.01f + (float) (1 - 0.9) * (clipped - 0.01f);
    float expAvgSq = 1e-4f * 0.999f + (float) (1 - 0.999) * clipped * clipped;
    float denominator = (float) Math.sqrt(expAvgSq) / (float) Math.sqrt(1 - Math.pow(0.999, 3)) + 1e-8f;
    float param = 0.5f * (float) (1 - 1e-3 * 0.01) + (float) (-1e-3 / (1 - Math.pow(0.9, 3))) * expAvg / denominator;
    assertEquals(expAvg, m[0]);
    assertEquals(expAvgSq, v[0]);
    assertEquals(param, p[0]);
  }
}
