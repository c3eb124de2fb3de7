package org.mlmspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.mlmspark.model.blocks.GraphScalars;

class GraphScalarsTest {
  @Test
  void theFactorSurvivesAGarbageCollectionBetweenForwardAndBackward() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(new float[] {1, -2, 3, 4});
      x.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = GraphScalars.multiply(x, 0.125f).sum();
        Garbage.collect();
        collector.backward(y);
      }
      assertArrayEquals(new float[] {0.125f, 0.125f, 0.125f, 0.125f}, x.getGradient().toFloatArray());
    }
  }
}
