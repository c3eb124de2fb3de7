package org.mlmspark.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.mlmspark.model.blocks.NamedParameter;

/**
 * HF's {@code _init_weights} for these encoders: Linear and Embedding weights ~ normal(0, initializer_range),
 * biases 0, LayerNorm weight 1 and bias 0, an embedding's padding_idx row 0.
 *
 * <p>Each tensor draws from its own stream seeded by (seed, name), so a checkpoint depends only on the seed and
 * the config, not on the engine's global RNG or the order tensors are visited.
 */
public final class WeightInit {
  private WeightInit() {}

  public static void apply(MaskedLmModel model, long seed) {
    float std = model.config().initializerRange();
    for (NamedParameter p : model.namedParameters()) {
      NDArray array = p.parameter().getArray();
      Shape shape = array.getShape();
      float[] values = new float[Math.toIntExact(shape.size())];
      switch (p.role()) {
        case LINEAR_WEIGHT, EMBEDDING -> {
          SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ p.name().hashCode());
          for (int i = 0; i < values.length; i++) {
            values[i] = (float) (gaussian(random) * std);
          }
          if (p.paddingRow() >= 0) {
            int width = Math.toIntExact(shape.get(1));
            Arrays.fill(values, p.paddingRow() * width, (p.paddingRow() + 1) * width, 0f);
          }
        }
        case NORM_WEIGHT -> Arrays.fill(values, 1f);
        case BIAS -> { }
      }
      array.set(values);
    }
  }

  /** Marsaglia's polar method (SplittableRandom has no nextGaussian on Java 17). */
  private static double gaussian(SplittableRandom random) {
    double u;
    double v;
    double s;
    do {
      u = random.nextDouble(-1, 1);
      v = random.nextDouble(-1, 1);
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }
}
