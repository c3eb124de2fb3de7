package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.blocks.NamedParameter;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.train.data.MaskedBatch;
import org.mlmspark.train.io.HfTrainRecording;
import org.mlmspark.train.optim.AdamW;

/** HF Trainer's 10 steps of tiny-roberta/train.json, replayed through {@link TrainStep}. */
class TrainStepTest {
  private static final double TOLERANCE = 1e-5;

  @Test
  void tenStepsMatchHfTrainerLossGradNormLearningRateAndFinalParameters() throws Exception {
    HfTrainRecording fixture = HfTrainFixture.load();
    java.nio.file.Path dir = HfTrainFixture.directory();
    try (NDManager manager = NDManager.newBaseManager()) {
      // The fixture's config has dropout 0, so HF's train mode is deterministic and so is ours.
      MaskedLmModel model = Checkpoints.load(
          ModelDirectory.of(new Path(dir.resolve("model").toUri()), new Configuration()), manager).model();
      HfTrainRecording.Optimizer settings = fixture.optimizer();
      TrainStep step = new TrainStep(model, manager, new AdamW(settings.adamW(), manager),
          settings.linearSchedule(), settings.maxGradNorm(), GradientReducer.SINGLE_WORKER, 42, 0);

      for (int i = 0; i < fixture.batches().size(); i++) {
        MaskedBatch batch = fixture.batches().get(i).toMaskedBatch();
        TrainStep.Result result = step.run(List.of(batch), i);
        HfTrainRecording.LogEntry hf = fixture.log().get(i);
        assertClose(hf.loss(), result.loss(), "loss of step " + hf.step());
        assertClose(hf.gradNorm(), result.gradNorm(), "grad norm of step " + hf.step());
        assertEquals(hf.lr(), result.learningRate(), 1e-12, "lr of step " + hf.step());
        assertEquals(batch.labelCount(), result.labels());
      }

      Map<String, NDArray> trained = new HashMap<>();
      try (InputStream in = Files.newInputStream(dir.resolve("trained/model.safetensors"))) {
        for (NDArray array : NDList.decode(manager, in)) {
          trained.put(array.getName(), array);
        }
      }
      for (NamedParameter p : model.namedParameters()) {
        NDArray expected = trained.get(p.name());
        assertTrue(expected != null, "HF saved no " + p.name());
        NDArray actual = p.parameter().getArray();
        double difference = actual.sub(expected).norm().getFloat();
        if (p.name().endsWith(".key.bias")) {
          // Softmax ignores a shift of every score of a query, so the key bias has a gradient of exactly 0 in
          // exact arithmetic: it starts at 0 and both stacks only move it by rounding noise (~1e-7) that Adam
          // amplifies; the noise is not reproducible across implementations, its smallness is.
          assertTrue(actual.norm().getFloat() < 1e-5 && expected.norm().getFloat() < 1e-5,
              p.name() + " moved by more than rounding noise");
        } else {
          double relative = difference / expected.norm().getFloat();
          assertTrue(relative < TOLERANCE, p.name() + ": relative L2 difference " + relative);
        }
      }
    }
  }

  /**
   * Gradient accumulation normalises by the label count of the whole step, as transformers 5 does: one batch of 4
   * and the same rows as micro-batches of 1 and 3 (unequal label counts) give the same loss and gradients. The
   * gradients are compared where the reducer hook sees them, before Adam (whose first step, ≈ lr·sign(g), would
   * turn rounding noise in near-zero gradients into lr-sized differences).
   */
  @Test
  void microBatchesOfAStepAddUpToTheWholeBatch() throws Exception {
    HfTrainRecording fixture = HfTrainFixture.load();
    MaskedBatch whole = fixture.batches().get(0).toMaskedBatch();
    try (NDManager manager = NDManager.newBaseManager()) {
      GradientCapture once = new GradientCapture(manager);
      GradientCapture split = new GradientCapture(manager);
      TrainStep.Result a = step(tinyRoberta(manager), manager, fixture, once).run(List.of(whole), 0);
      TrainStep.Result b = step(tinyRoberta(manager), manager, fixture, split)
          .run(List.of(rows(whole, 0, 1), rows(whole, 1, 4)), 0);
      assertClose(a.loss(), b.loss(), "loss");
      assertClose(a.gradNorm(), b.gradNorm(), "grad norm");
      assertEquals(a.labels(), b.labels());
      assertEquals(whole.labelCount(), a.labels());
      for (int i = 0; i < once.gradients.size(); i++) {
        NDArray x = once.gradients.get(i);
        NDArray y = split.gradients.get(i);
        double relative = x.sub(y).norm().getFloat() / Math.max(x.norm().getFloat(), 1e-12f);
        assertTrue(relative < TOLERANCE || x.norm().getFloat() < 1e-7, "gradient " + i + ": relative " + relative);
      }
    }
  }

  /** A one-worker reducer that keeps a copy of the summed gradients. */
  private static final class GradientCapture implements GradientReducer {
    final NDManager manager;
    final List<NDArray> gradients = new java.util.ArrayList<>();

    GradientCapture(NDManager manager) {
      this.manager = manager;
    }

    @Override
    public void sumScalars(double[] values) {}

    @Override
    public void sumGradients(List<NDArray> summed) {
      summed.forEach(g -> {
        NDArray copy = g.duplicate();
        copy.attach(manager);
        gradients.add(copy);
      });
    }
  }

  private static MaskedLmModel tinyRoberta(NDManager manager) throws Exception {
    return Checkpoints.load(ModelDirectory.of(
        new Path(HfTrainFixture.directory().resolve("model").toUri()), new Configuration()), manager).model();
  }

  private static TrainStep step(MaskedLmModel model, NDManager manager, HfTrainRecording fixture,
      GradientReducer reducer) {
    HfTrainRecording.Optimizer settings = fixture.optimizer();
    return new TrainStep(model, manager, new AdamW(settings.adamW(), manager), settings.linearSchedule(),
        settings.maxGradNorm(), reducer, 42, 0);
  }

  private static MaskedBatch rows(MaskedBatch batch, int from, int to) {
    int n = batch.sequenceLength();
    return new MaskedBatch(to - from, n, java.util.Arrays.copyOfRange(batch.inputIds(), from * n, to * n),
        java.util.Arrays.copyOfRange(batch.attentionMask(), from * n, to * n),
        java.util.Arrays.copyOfRange(batch.labels(), from * n, to * n));
  }

  private static void assertClose(double expected, double actual, String what) {
    double relative = Math.abs(actual - expected) / Math.abs(expected);
    assertTrue(relative < TOLERANCE, what + ": HF " + expected + ", ours " + actual + " (relative " + relative + ")");
  }
}
