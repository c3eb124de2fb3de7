package org.mlmspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlmspark.model.ForwardFixture.assertClose;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backward through DJL's autograd equals PyTorch's. */
class GradientTest {

  /** Step 1 of tiny-roberta/train.json: HF's loss and gradient norm (before clipping) at the initial parameters. */
  @Test
  void firstTrainingStepLossAndGradientNormEqualHf() throws Exception {
    JsonNode train = TinyRoberta.JSON.readTree(TinyRoberta.dir().resolve("train.json").toFile());
    ObjectNode batch = (ObjectNode) train.get("batches").get(0);
    JsonNode step = train.get("log").get(0);
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel model = TinyRoberta.load(manager).model();
      ForwardFixture fixture = new ForwardFixture(batch, manager);
      assertClose(step.get("loss").asDouble(),
          model.loss(fixture.inputIds, fixture.attentionMask, fixture.labels, true).getFloat(), "step-1 loss");
      fixture.assertGradientNorm(model, step.get("grad_norm").asDouble());
    }
  }

  /**
   * Nothing the graph needs for backward may live in memory the JVM frees: a GC between forward and backward
   * (rare in a quiet JVM, routine in a Spark executor) must not change a single gradient bit.
   */
  @Test
  void gradientsAreUnchangedByAGarbageCollectionBetweenForwardAndBackward() throws Exception {
    ObjectNode batch = (ObjectNode) TinyRoberta.JSON.readTree(TinyRoberta.dir().resolve("train.json").toFile())
        .get("batches").get(0);
    try (NDManager manager = NDManager.newBaseManager()) {
      ForwardFixture fixture = new ForwardFixture(batch, manager);
      List<float[]> undisturbed = gradients(TinyRoberta.load(manager).model(), fixture, false);
      List<float[]> collected = gradients(TinyRoberta.load(manager).model(), fixture, true);
      for (int i = 0; i < undisturbed.size(); i++) {
        assertArrayEquals(undisturbed.get(i), collected.get(i), "gradient " + i);
      }
    }
  }

  /** Every parameter's gradient of the loss in eval mode (no dropout draws), optionally with a GC before backward. */
  private static List<float[]> gradients(MaskedLmModel model, ForwardFixture fixture, boolean collectGarbage)
      throws InterruptedException {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = model.loss(fixture.inputIds, fixture.attentionMask, fixture.labels, false);
      if (collectGarbage) {
        Garbage.collect();
      }
      collector.backward(loss);
      return model.namedParameters().stream().map(p -> p.parameter().getArray().getGradient().toFloatArray())
          .toList();
    }
  }

  @Test
  void paddingTokensPassNoGradientToTheirEmbeddingRows() throws Exception {
    // Row 0 ends in padding; without an attention mask the padding tokens are attended, so their embeddings do
    // reach the loss and only padding_idx semantics keep their rows from being updated.
    JsonNode forward = TinyRoberta.forwardJson();
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel model = TinyRoberta.load(manager).model();
      NDArray ids = TinyRoberta.longs(manager, forward.get("input_ids"));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(model.loss(ids, null, TinyRoberta.longs(manager, forward.get("labels")), true));
      }
      NDArray positionGrad = model.namedParameters().stream()
          .filter(p -> p.name().equals("roberta.embeddings.position_embeddings.weight")).findFirst().orElseThrow()
          .parameter().getArray().getGradient();
      int pad = model.config().padTokenId();
      assertEquals(0f, positionGrad.get(pad).abs().sum().getFloat());
      assertTrue(positionGrad.get(pad + 1).abs().sum().getFloat() > 0);
    }
  }
}
