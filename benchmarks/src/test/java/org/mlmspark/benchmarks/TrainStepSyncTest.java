package org.mlmspark.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.train.GradientReducer;
import org.mlmspark.train.HfTrainFixture;
import org.mlmspark.train.TrainStep;
import org.mlmspark.train.io.HfTrainRecording;
import org.mlmspark.train.optim.AdamW;

/**
 * Host↔device round trips of a training step, counted with libtorch's profiler on the CPU. What a GPU must wait
 * for shows there as operators: a value read back ({@code item} / {@code _local_scalar_dense}, {@code is_nonzero})
 * or an output whose size depends on the data ({@code nonzero}, the reductions {@code any}/{@code all} whose
 * result is read). The step body has none; the losses and gradient norms of several steps come back through one
 * stacked tensor when they are read.
 */
class TrainStepSyncTest {
  /** Operators that make the host wait for the device. */
  private static final Set<String> SYNCS = Set.of("aten::item", "aten::_local_scalar_dense", "aten::is_nonzero",
      "aten::nonzero", "aten::any", "aten::all", "aten::equal");

  @Test
  void aStepReadsNothingBackAndItsScalarsComeBackInOneTensor(@TempDir Path dir) throws Exception {
    HfTrainRecording fixture = HfTrainFixture.load();
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel model = Checkpoints.load(ModelDirectory.of(new org.apache.hadoop.fs.Path(
          HfTrainFixture.directory().resolve("model").toUri()), new Configuration()), manager).model();
      HfTrainRecording.Optimizer settings = fixture.optimizer();
      TrainStep step = new TrainStep(model, manager, new AdamW(settings.adamW(), manager),
          settings.linearSchedule(), settings.maxGradNorm(), GradientReducer.SINGLE_WORKER, 42, 0);
      step.run(List.of(fixture.batches().get(0).toMaskedBatch()), 0); // first step: moments allocated

      int steps = 3;
      List<TrainStep.Pending> pending = new ArrayList<>();
      Map<String, Long> body = profiled(dir.resolve("steps.json"), () -> {
        for (int i = 1; i <= steps; i++) {
          pending.add(step.start(List.of(fixture.batches().get(i).toMaskedBatch()), i));
        }
      });
      assertTrue(body.getOrDefault("aten::mm", 0L) + body.getOrDefault("aten::addmm", 0L) > 0,
          "the profiler saw the steps: " + body.keySet());
      for (String sync : SYNCS) {
        assertEquals(0L, body.getOrDefault(sync, 0L), sync + " in " + steps + " steps");
      }

      List<TrainStep.Result> results = new ArrayList<>();
      Map<String, Long> read = profiled(dir.resolve("read.json"),
          () -> results.addAll(TrainStep.read(pending, GradientReducer.SINGLE_WORKER)));
      assertEquals(Map.of("aten::stack", 1L), withoutViews(read), "one tensor read for " + steps + " steps");
      for (int i = 0; i < steps; i++) {
        HfTrainRecording.LogEntry hf = fixture.log().get(i + 1);
        assertEquals(hf.loss(), results.get(i).loss(), 2e-5 * hf.loss(), "loss of step " + hf.step());
        assertEquals(hf.gradNorm(), results.get(i).gradNorm(), 2e-5 * hf.gradNorm(), "grad norm " + hf.step());
      }
    }
  }

  private static Map<String, Long> profiled(Path trace, Runnable work) throws Exception {
    JniUtils.startProfile(false, false, false);
    try {
      work.run();
    } finally {
      JniUtils.stopProfile(trace.toString());
    }
    return TorchProfile.operators(trace).stream()
        .collect(Collectors.toMap(TorchProfile.Operator::name, TorchProfile.Operator::calls));
  }

  /** Operators that compute something: stack's internal views and allocations left out. */
  private static Map<String, Long> withoutViews(Map<String, Long> calls) {
    Set<String> views = Set.of("aten::unsqueeze", "aten::as_strided", "aten::cat", "aten::empty", "aten::resize_",
        "aten::narrow", "aten::slice", "aten::expand", "aten::view", "aten::reshape");
    return calls.entrySet().stream().filter(e -> !views.contains(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
