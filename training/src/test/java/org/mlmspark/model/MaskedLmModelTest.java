package org.mlmspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlmspark.model.io.Checkpoints;

/** The DJL encoder against HF's RobertaForMaskedLM outputs recorded in tiny-roberta/forward.json. */
class MaskedLmModelTest {
  private static final double TOLERANCE = 1e-5;
  private static NDManager manager;
  private static MaskedLmModel model;
  private static JsonNode fixture;
  private static NDArray inputIds;
  private static NDArray attentionMask;
  private static NDArray labels;

  @BeforeAll
  static void load() throws Exception {
    manager = NDManager.newBaseManager();
    Checkpoints.Loaded loaded = TinyRoberta.load(manager);
    model = loaded.model();
    assertTrue(loaded.report().unused().isEmpty(), loaded.report().toString());
    assertTrue(loaded.report().missing().isEmpty(), loaded.report().toString());
    fixture = TinyRoberta.forwardJson();
    inputIds = TinyRoberta.longs(manager, fixture.get("input_ids"));
    attentionMask = TinyRoberta.longs(manager, fixture.get("attention_mask"));
    labels = TinyRoberta.longs(manager, fixture.get("labels"));
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void logitsProbesEqualHf() {
    NDArray logits = model.logits(inputIds, attentionMask, false);
    assertEquals(new ai.djl.ndarray.types.Shape(2, 21, 50265), logits.getShape());
    for (JsonNode probe : fixture.get("logits_at")) {
      NDArray row = logits.get(probe.get("batch").asInt(), probe.get("position").asInt());
      float[] values = row.toFloatArray();
      JsonNode first16 = probe.get("first16");
      double diff = 0;
      double norm = 0;
      for (int i = 0; i < first16.size(); i++) {
        double expected = first16.get(i).asDouble();
        diff += Math.pow(values[i] - expected, 2);
        norm += expected * expected;
      }
      assertTrue(Math.sqrt(diff / norm) < TOLERANCE, "first16 at " + probe + " differ: rel " + Math.sqrt(diff / norm));
      assertEquals(probe.get("argmax").asLong(), row.argMax().getLong());
      assertClose(probe.get("sum").asDouble(), row.sum().getFloat(), "sum at " + probe);
      assertClose(probe.get("max").asDouble(), row.max().getFloat(), "max at " + probe);
    }
    NDArray real = attentionMask.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).expandDims(2);
    assertClose(fixture.get("logits_abs_sum").asDouble(), logits.abs().mul(real).sum().getFloat(), "abs sum");
  }

  @Test
  void lossEqualsHf() {
    NDArray loss = model.loss(inputIds, attentionMask, labels, false);
    assertClose(fixture.get("loss").asDouble(), loss.getFloat(), "loss");
  }

  @Test
  void gatheredLossEqualsLossOverAllLogits() {
    NDArray logits = model.logits(inputIds, attentionMask, false).reshape(-1, 50265);
    NDArray flatLabels = labels.reshape(-1);
    NDArray positions = flatLabels.neq(MaskedLmLoss.IGNORE_INDEX).nonzero().squeeze(1);
    float full = MaskedLmLoss.crossEntropy(logits.get(positions), flatLabels.get(positions)).getFloat();
    assertClose(full, model.loss(inputIds, attentionMask, labels, false).getFloat(), "gathered vs full loss");
  }

  @Test
  void paddedRowsGiveTheSameLogitsAsRowsAlone() {
    NDArray batched = model.logits(inputIds, attentionMask, false);
    int realLength = (int) attentionMask.get(0).sum().getLong();
    NDArray alone = model.logits(inputIds.get(new NDIndex("0:1, 0:" + realLength)), null, false);
    NDArray fromBatch = batched.get(new NDIndex("0:1, 0:" + realLength));
    float maxDiff = alone.sub(fromBatch).abs().max().getFloat();
    assertTrue(maxDiff < 1e-5f, "padded row differs from the row alone by " + maxDiff);
  }

  static void assertClose(double expected, double actual, String what) {
    double rel = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
    assertTrue(rel < TOLERANCE, what + ": expected " + expected + ", got " + actual + " (rel " + rel + ")");
  }
}
