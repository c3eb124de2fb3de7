package org.mlmspark.model;

import static org.mlmspark.model.MaskedLmModelTest.assertClose;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Backward through DJL's autograd equals PyTorch's: the first step of tiny-roberta/train.json records HF's loss and
 * global gradient norm (before clipping) on a fixed batch at the fixture's initial parameters.
 */
class GradientTest {

  @Test
  void firstStepLossAndGradientNormEqualHf() throws Exception {
    JsonNode train = TinyRoberta.JSON.readTree(TinyRoberta.dir().resolve("train.json").toFile());
    JsonNode batch = train.get("batches").get(0);
    JsonNode step = train.get("log").get(0);
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel model = TinyRoberta.load(manager).model();
      NDArray ids = TinyRoberta.longs(manager, batch.get("input_ids"));
      NDArray mask = TinyRoberta.longs(manager, batch.get("attention_mask"));
      NDArray labels = TinyRoberta.longs(manager, batch.get("labels"));
      float loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray value = model.loss(ids, mask, labels, true);
        collector.backward(value);
        loss = value.getFloat();
      }
      // As torch.nn.utils.clip_grad_norm_: the norm of per-tensor norms (a float32 sum of squares over the
      // 50,265-row embedding gradient drifts by ~1e-4 relative).
      double squares = 0;
      for (NamedParameter p : model.namedParameters()) {
        squares += Math.pow(p.parameter().getArray().getGradient().norm().getFloat(), 2);
      }
      assertClose(step.get("loss").asDouble(), loss, "step-1 loss");
      assertClose(step.get("grad_norm").asDouble(), Math.sqrt(squares), "step-1 gradient norm");
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
      org.junit.jupiter.api.Assertions.assertEquals(0f, positionGrad.get(pad).abs().sum().getFloat());
      org.junit.jupiter.api.Assertions.assertTrue(positionGrad.get(pad + 1).abs().sum().getFloat() > 0);
    }
  }
}
