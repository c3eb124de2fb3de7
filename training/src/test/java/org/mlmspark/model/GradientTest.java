package org.mlmspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlmspark.model.ForwardFixture.assertClose;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
