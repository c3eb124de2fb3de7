package org.mlmspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mlmspark.model.blocks.NamedParameter;

class WeightInitTest {

  @Test
  void followsHfInitWeights() {
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel model = MaskedLmModel.create(ModelPresets.get("tiny"), manager);
      WeightInit.apply(model, 3);
      for (NamedParameter p : model.namedParameters()) {
        NDArray a = p.parameter().getArray();
        switch (p.role()) {
          case NORM_WEIGHT -> assertEquals(a.size(), a.eq(1f).countNonzero().getLong(), p.name());
          case BIAS -> assertEquals(0f, a.abs().max().getFloat(), p.name());
          case LINEAR_WEIGHT, EMBEDDING -> {
            NDArray rows = p.paddingRow() >= 0 ? a.get(p.paddingRow()) : null;
            if (rows != null) {
              assertEquals(0f, rows.abs().max().getFloat(), p.name() + " padding row");
            }
            double std = Math.sqrt(a.pow(2).mean().getFloat());
            assertTrue(Math.abs(std - 0.02) < 0.002, p.name() + " std " + std);
          }
        }
      }
    }
  }

  @Test
  void sameSeedSameWeightsOtherSeedOthers() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] a = firstWeight(manager, 5);
      assertArrayEquals(a, firstWeight(manager, 5));
      assertFalse(Arrays.equals(a, firstWeight(manager, 6)));
    }
  }

  private static float[] firstWeight(NDManager manager, long seed) {
    MaskedLmModel model = MaskedLmModel.create(ModelPresets.get("tiny"), manager);
    WeightInit.apply(model, seed);
    return model.namedParameters().get(0).parameter().getArray().toFloatArray();
  }
}
