package org.mlmspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mlmspark.model.ForwardFixture.assertClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlmspark.model.io.Checkpoints;

/** The DJL encoder against HF's RobertaForMaskedLM outputs recorded in tiny-roberta/forward.json. */
class MaskedLmModelTest {
  private static NDManager manager;
  private static MaskedLmModel model;
  private static ForwardFixture fixture;

  @BeforeAll
  static void load() throws Exception {
    manager = NDManager.newBaseManager();
    Checkpoints.Loaded loaded = TinyRoberta.load(manager);
    model = loaded.model();
    assertTrue(loaded.report().unused().isEmpty(), loaded.report().toString());
    fixture = new ForwardFixture(TinyRoberta.forwardJson(), manager);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void logitsProbesEqualHf() {
    Shape ids = fixture.inputIds.getShape();
    assertEquals(new Shape(ids.get(0), ids.get(1), 50265), model.logits(fixture.inputIds, fixture.attentionMask, false).getShape());
    fixture.assertLogits(model);
  }

  @Test
  void lossEqualsHf() {
    fixture.assertLoss(model);
  }

  @Test
  void gatheredLossEqualsLossOverAllLogits() {
    NDArray logits = model.logits(fixture.inputIds, fixture.attentionMask, false).reshape(-1, 50265);
    NDArray flatLabels = fixture.labels.reshape(-1);
    NDArray positions = flatLabels.neq(MaskedLmLoss.IGNORE_INDEX).nonzero().squeeze(1);
    float full = MaskedLmLoss.crossEntropy(logits.get(positions), flatLabels.get(positions)).getFloat();
    assertClose(full, model.loss(fixture.inputIds, fixture.attentionMask, fixture.labels, false).getFloat(),
        "gathered vs full loss");
  }

  @Test
  void paddedRowsGiveTheSameLogitsAsRowsAlone() {
    NDArray batched = model.logits(fixture.inputIds, fixture.attentionMask, false);
    int realLength = (int) fixture.attentionMask.get(0).sum().getLong();
    NDArray alone = model.logits(fixture.inputIds.get(new NDIndex("0:1, 0:" + realLength)), null, false);
    NDArray fromBatch = batched.get(new NDIndex("0:1, 0:" + realLength));
    float maxDiff = alone.sub(fromBatch).abs().max().getFloat();
    assertTrue(maxDiff < 1e-5f, "padded row differs from the row alone by " + maxDiff);
  }
}
