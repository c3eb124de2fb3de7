package org.mlmspark.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizerCheckpointTest {
  @Test
  void resumedRunEndsWithTheParametersOfAnUninterruptedOne(@TempDir Path dir) throws IOException {
    LinearWarmupSchedule schedule = new LinearWarmupSchedule(1e-2, 1, 6);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      AdamWTest helper = new AdamWTest();
      helper.manager = manager;
      double[][] initial = AdamWTest.initialValues();

      List<AdamW.Parameter> straight = helper.parameters(initial);
      AdamW uninterrupted = new AdamW(AdamWTest.HYPER, manager.newSubManager());
      runSteps(uninterrupted, straight, schedule, 1, 6);

      List<AdamW.Parameter> resumedParameters = helper.parameters(initial);
      AdamW interrupted = new AdamW(AdamWTest.HYPER, manager.newSubManager());
      runSteps(interrupted, resumedParameters, schedule, 1, 3);
      OptimizerCheckpoint.write(dir, interrupted, schedule);

      OptimizerCheckpoint.Resumed resumed = OptimizerCheckpoint.read(dir, manager.newSubManager());
      assertEquals(3, resumed.optimizer().stepCount());
      assertEquals(schedule, resumed.schedule());
      assertEquals(AdamWTest.HYPER, resumed.optimizer().hyperparameters());
      runSteps(resumed.optimizer(), resumedParameters, resumed.schedule(), 4, 6);

      for (int p = 0; p < straight.size(); p++) {
        assertArrayEquals(straight.get(p).value().toFloatArray(), resumedParameters.get(p).value().toFloatArray(),
            AdamWTest.NAMES.get(p));
      }
    }
  }

  /** The decoded checkpoint's memory is freed once loading is done: the optimizer must not keep views of it. */
  @Test
  void restoredMomentsDoNotShareMemoryWithTheCheckpointArrays() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      ai.djl.ndarray.NDArray m = manager.create(new float[] {1, 2});
      m.setName("exp_avg.w");
      ai.djl.ndarray.NDArray v = manager.create(new float[] {3, 4});
      v.setName("exp_avg_sq.w");
      AdamW adamW = new AdamW(AdamWTest.HYPER, manager.newSubManager());
      adamW.restore(1, new ai.djl.ndarray.NDList(m, v));
      m.muli(0);
      v.muli(0);
      ai.djl.ndarray.NDList moments = adamW.moments();
      assertArrayEquals(new float[] {1, 2}, moments.get("exp_avg.w").toFloatArray());
      assertArrayEquals(new float[] {3, 4}, moments.get("exp_avg_sq.w").toFloatArray());
    }
  }

  @Test
  void namesTheMomentsAfterTheParameters(@TempDir Path dir) throws IOException {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      AdamWTest helper = new AdamWTest();
      helper.manager = manager;
      AdamW optimizer = new AdamW(AdamWTest.HYPER, manager);
      runSteps(optimizer, helper.parameters(AdamWTest.initialValues()), new LinearWarmupSchedule(1e-3, 0, 5), 1, 1);
      List<String> names = optimizer.moments().stream().map(array -> array.getName()).sorted().toList();
      assertEquals(List.of(
          "exp_avg.lm_head.dense.weight",
          "exp_avg.roberta.encoder.layer.0.output.LayerNorm.weight",
          "exp_avg.roberta.encoder.layer.0.output.dense.bias",
          "exp_avg.roberta.encoder.layer.0.output.dense.weight",
          "exp_avg_sq.lm_head.dense.weight",
          "exp_avg_sq.roberta.encoder.layer.0.output.LayerNorm.weight",
          "exp_avg_sq.roberta.encoder.layer.0.output.dense.bias",
          "exp_avg_sq.roberta.encoder.layer.0.output.dense.weight"), names);
      assertThrows(IOException.class, () -> OptimizerCheckpoint.read(dir.resolve("missing"), manager));
    }
  }

  private static void runSteps(
      AdamW optimizer, List<AdamW.Parameter> parameters, LinearWarmupSchedule schedule, int first, int last) {
    for (int step = first; step <= last; step++) {
      AdamWTest.setGradients(parameters, AdamWTest.gradients(step));
      optimizer.step(parameters, schedule.learningRate(step - 1));
    }
  }
}
