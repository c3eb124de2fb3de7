package org.mlmspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import org.mlmspark.model.blocks.NamedParameter;

/** Checks a model against a forward.json written by HF (tiny-roberta's, or tools/make_family_fixtures.py's). */
final class ForwardFixture {
  static final double TOLERANCE = 1e-5;

  private final JsonNode json;
  final NDArray inputIds;
  final NDArray attentionMask;
  final NDArray labels;

  ForwardFixture(JsonNode json, NDManager manager) {
    this.json = json;
    inputIds = TinyRoberta.longs(manager, json.get("input_ids"));
    attentionMask = TinyRoberta.longs(manager, json.get("attention_mask"));
    labels = TinyRoberta.longs(manager, json.get("labels"));
  }

  /** Logits probes (first 16 values, argmax, sum, max) and the abs-sum over real tokens, in eval mode. */
  void assertLogits(MaskedLmModel model) {
    NDArray logits = model.logits(inputIds, attentionMask, false);
    for (JsonNode probe : json.get("logits_at")) {
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
      double rel = Math.sqrt(diff / norm);
      assertTrue(rel < TOLERANCE, "first16 at " + probe.get("batch") + "," + probe.get("position") + ": rel " + rel);
      assertEquals(probe.get("argmax").asLong(), row.argMax().getLong());
      assertClose(probe.get("sum").asDouble(), row.sum().getFloat(), "sum at " + probe.get("position"));
      if (probe.has("max")) {
        assertClose(probe.get("max").asDouble(), row.max().getFloat(), "max at " + probe.get("position"));
      }
    }
    NDArray real = attentionMask.toType(DataType.FLOAT32, false).expandDims(2);
    assertClose(json.get("logits_abs_sum").asDouble(), logits.abs().mul(real).sum().getFloat(), "abs sum");
  }

  void assertLoss(MaskedLmModel model) {
    assertClose(json.get("loss").asDouble(), model.loss(inputIds, attentionMask, labels, false).getFloat(), "loss");
  }

  /** The loss's global gradient norm in train mode, computed as torch.nn.utils.clip_grad_norm_ does. */
  void assertGradientNorm(MaskedLmModel model, double expected) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(model.loss(inputIds, attentionMask, labels, true));
    }
    // The norm of per-tensor norms: a float32 sum of squares over a whole embedding gradient drifts by ~1e-4.
    double squares = 0;
    for (NamedParameter p : model.namedParameters()) {
      squares += Math.pow(p.parameter().getArray().getGradient().norm().getFloat(), 2);
    }
    assertClose(expected, Math.sqrt(squares), "gradient norm");
  }

  static void assertClose(double expected, double actual, String what) {
    double rel = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
    assertTrue(rel < TOLERANCE, what + ": expected " + expected + ", got " + actual + " (rel " + rel + ")");
  }
}
