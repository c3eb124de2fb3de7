package org.mlmspark.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdamWTest {
  static final AdamW.Hyperparameters HYPER = AdamW.Hyperparameters.hfDefaults(0.01);

  /** HF names: the weight decays, the bias and the LayerNorm weight do not; the last has tiny gradients. */
  static final List<String> NAMES = List.of(
      "roberta.encoder.layer.0.output.dense.weight",
      "roberta.encoder.layer.0.output.dense.bias",
      "roberta.encoder.layer.0.output.LayerNorm.weight",
      "lm_head.dense.weight");

  static final int[] SIZES = {12, 3, 3, 6};
  static final double[] GRADIENT_SCALE = {1, 0.1, 3, 1e-6};

  NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** Both implementations: the host kernel (CPU) and the engine operations (what runs on a GPU). */
  @ParameterizedTest(name = "host kernel: {0}")
  @ValueSource(booleans = {true, false})
  void matchesTorchAdamWFormulasOverSeveralSteps(boolean hostKernel) {
    LinearWarmupSchedule schedule = new LinearWarmupSchedule(1e-2, 2, 8);
    double[][] initial = initialValues();
    List<AdamW.Parameter> parameters = parameters(initial);
    AdamW optimizer = new AdamW(HYPER, manager, hostKernel);
    TorchAdamWReference reference = new TorchAdamWReference(initial);
    for (int step = 1; step <= 8; step++) {
      double lr = schedule.learningRate(step - 1);
      double[][] gradients = gradients(step);
      setGradients(parameters, gradients);
      optimizer.step(parameters, lr);
      reference.step(gradients, lr);
    }
    assertEquals(8, optimizer.stepCount());
    for (int p = 0; p < NAMES.size(); p++) {
      float[] actual = parameters.get(p).value().toFloatArray();
      for (int i = 0; i < actual.length; i++) {
        // float32 state against a double reference: a few ulps of values of order 1
        assertEquals(reference.params[p][i], actual[i], 2e-6, NAMES.get(p) + "[" + i + "]");
      }
    }
  }

  /**
   * The clip coefficient multiplies each gradient before the update, as clip_grad_norm_ does in place: stepping
   * on g with coefficient ½ equals stepping on g·½ (exact in float) without one. Tensors span several of the
   * host kernel's chunks, and both implementations agree.
   */
  @Test
  void clipCoefficientScalesTheGradientsAndBothImplementationsAgree() {
    int size = 600_000;
    NDArray initial = manager.randomNormal(0, 0.02f, new Shape(size), ai.djl.ndarray.types.DataType.FLOAT32);
    List<List<AdamW.Parameter>> runs = new ArrayList<>();
    List<AdamW> optimizers = List.of(new AdamW(HYPER, manager, true), new AdamW(HYPER, manager, true),
        new AdamW(HYPER, manager, false));
    for (int run = 0; run < optimizers.size(); run++) {
      runs.add(List.of(new AdamW.Parameter(NAMES.get(0), initial.duplicate(), manager.zeros(new Shape(size))),
          new AdamW.Parameter(NAMES.get(1), initial.get("0:1000").duplicate(), manager.zeros(new Shape(1000)))));
    }
    for (int step = 1; step <= 3; step++) {
      NDArray gradient = manager.randomNormal(0, 1, new Shape(size), ai.djl.ndarray.types.DataType.FLOAT32);
      for (int run = 0; run < runs.size(); run++) {
        boolean preScaled = run == 1;
        for (AdamW.Parameter p : runs.get(run)) {
          NDArray g = gradient.get("0:" + p.value().size());
          p.gradient().set(preScaled ? g.mul(0.5f).toFloatArray() : g.toFloatArray());
        }
        optimizers.get(run).step(runs.get(run), 1e-3, preScaled ? 1f : 0.5f);
      }
    }
    for (int p = 0; p < 2; p++) {
      float[] clipped = runs.get(0).get(p).value().toFloatArray();
      assertArrayEquals(runs.get(1).get(p).value().toFloatArray(), clipped, NAMES.get(p));
      float[] engine = runs.get(2).get(p).value().toFloatArray();
      // The engine path's rearranged algebra rounds differently somewhere: proof that both implementations ran.
      assertFalse(java.util.Arrays.equals(engine, clipped), NAMES.get(p));
      for (int i = 0; i < clipped.length; i++) {
        assertEquals(engine[i], clipped[i], 1e-7 + 1e-6 * Math.abs(engine[i]), NAMES.get(p) + "[" + i + "]");
      }
    }
  }

  @Test
  void leavesTheGradientsZeroedLikeZeroGrad() {
    List<AdamW.Parameter> parameters = parameters(initialValues());
    setGradients(parameters, gradients(1));
    new AdamW(HYPER, manager).step(parameters, 1e-3);
    for (AdamW.Parameter parameter : parameters) {
      assertEquals(0f, parameter.gradient().abs().sum().getFloat(), parameter.name());
    }
  }

  @Test
  void decaysOnlyTheParametersHfDecays() {
    double[][] initial = initialValues();
    List<AdamW.Parameter> parameters = parameters(initial);
    AdamW optimizer = new AdamW(HYPER, manager);
    double lr = 0.5;
    for (int step = 0; step < 3; step++) {
      setGradients(parameters, new double[][] {new double[12], new double[3], new double[3], new double[6]});
      optimizer.step(parameters, lr); // zero gradients: only weight decay moves a parameter
    }
    double shrink = Math.pow(1 - lr * HYPER.weightDecay(), 3);
    for (int p = 0; p < NAMES.size(); p++) {
      float[] actual = parameters.get(p).value().toFloatArray();
      boolean decays = p == 0 || p == 3;
      for (int i = 0; i < actual.length; i++) {
        assertEquals(initial[p][i] * (decays ? shrink : 1), actual[i], 1e-6, NAMES.get(p));
      }
    }
  }

  @Test
  void firstWarmupStepAtLrZeroOnlyFillsTheMoments() {
    double[][] initial = initialValues();
    List<AdamW.Parameter> parameters = parameters(initial);
    AdamW optimizer = new AdamW(HYPER, manager);
    setGradients(parameters, gradients(1));
    optimizer.step(parameters, 0.0);
    for (int p = 0; p < NAMES.size(); p++) {
      assertArrayEquals(toFloats(initial[p]), parameters.get(p).value().toFloatArray());
    }
    assertTrue(optimizer.moments().stream().anyMatch(m -> m.abs().sum().getFloat() > 0));
  }

  List<AdamW.Parameter> parameters(double[][] values) {
    List<AdamW.Parameter> parameters = new ArrayList<>();
    for (int p = 0; p < NAMES.size(); p++) {
      NDArray value = manager.create(toFloats(values[p]), new Shape(values[p].length));
      parameters.add(new AdamW.Parameter(NAMES.get(p), value, manager.zeros(value.getShape())));
    }
    return parameters;
  }

  static void setGradients(List<AdamW.Parameter> parameters, double[][] gradients) {
    for (int p = 0; p < parameters.size(); p++) {
      parameters.get(p).gradient().set(toFloats(gradients[p]));
    }
  }

  static double[][] initialValues() {
    SplittableRandom random = new SplittableRandom(1);
    double[][] values = new double[SIZES.length][];
    for (int p = 0; p < SIZES.length; p++) {
      values[p] = random.doubles(SIZES[p], -1, 1).map(AdamWTest::roundToFloat).toArray();
    }
    return values;
  }

  /** Gradients of varying sign and scale per step, exactly representable in float32. */
  static double[][] gradients(int step) {
    SplittableRandom random = new SplittableRandom(100 + step);
    double[][] gradients = new double[SIZES.length][];
    for (int p = 0; p < SIZES.length; p++) {
      double scale = GRADIENT_SCALE[p];
      gradients[p] = random.doubles(SIZES[p], -scale, scale).map(AdamWTest::roundToFloat).toArray();
    }
    return gradients;
  }

  static double roundToFloat(double value) {
    return (float) value;
  }

  static float[] toFloats(double[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return floats;
  }

  /** torch.optim.AdamW (single-tensor path) written out in double precision, one element at a time. */
  static final class TorchAdamWReference {
    final double[][] params;
    final double[][] expAvg;
    final double[][] expAvgSq;
    int step;

    TorchAdamWReference(double[][] initial) {
      params = new double[initial.length][];
      expAvg = new double[initial.length][];
      expAvgSq = new double[initial.length][];
      for (int p = 0; p < initial.length; p++) {
        params[p] = initial[p].clone();
        expAvg[p] = new double[initial[p].length];
        expAvgSq[p] = new double[initial[p].length];
      }
    }

    void step(double[][] gradients, double lr) {
      step++;
      double beta1 = 0.9;
      double beta2 = 0.999;
      double eps = 1e-8;
      for (int p = 0; p < params.length; p++) {
        boolean decays = p == 0 || p == 3; // the weights; not the bias nor the LayerNorm weight
        double weightDecay = decays ? 0.01 : 0.0;
        for (int i = 0; i < params[p].length; i++) {
          double g = gradients[p][i];
          params[p][i] *= 1 - lr * weightDecay;
          expAvg[p][i] += (g - expAvg[p][i]) * (1 - beta1); // exp_avg.lerp_(grad, 1 - beta1)
          expAvgSq[p][i] = expAvgSq[p][i] * beta2 + (1 - beta2) * g * g;
          double biasCorrection1 = 1 - Math.pow(beta1, step);
          double biasCorrection2 = 1 - Math.pow(beta2, step);
          double stepSize = lr / biasCorrection1;
          double denom = Math.sqrt(expAvgSq[p][i]) / Math.sqrt(biasCorrection2) + eps;
          params[p][i] -= stepSize * expAvg[p][i] / denom;
        }
      }
    }
  }
}
