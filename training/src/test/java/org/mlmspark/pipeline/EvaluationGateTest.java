package org.mlmspark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvaluationGateTest {
  @Test
  void withoutAPublishedModelTheFirstEvaluatedModelIsPublished() {
    EvaluationGate.Decision decision = new EvaluationGate(0.0).decide(12.5, null);
    assertTrue(decision.publish());
    assertEquals("perplexity 12.5000; no published model to compare with", decision.reason());
  }

  @Test
  void aModelWithinTheMarginIsPublishedAndOneBeyondItIsNot() {
    EvaluationGate gate = new EvaluationGate(0.05);
    assertTrue(gate.decide(10.5, 10.0).publish());
    assertTrue(gate.decide(9.0, 10.0).publish());
    EvaluationGate.Decision refused = gate.decide(10.6, 10.0);
    assertFalse(refused.publish());
    assertEquals("perplexity 10.6000 vs 10.0000 published: more than 5.0 % worse", refused.reason());
    assertFalse(new EvaluationGate(0.0).decide(10.0001, 10.0).publish());
  }

  @Test
  void withoutAGateEveryEvaluatedModelIsPublished() {
    assertTrue(new EvaluationGate(null).decide(1000, 10.0).publish());
  }

  @Test
  void aPerplexityThatIsNotANumberIsAFailedEvaluation() {
    assertThrows(IllegalStateException.class, () -> new EvaluationGate(null).decide(Double.NaN, null));
    assertThrows(IllegalArgumentException.class, () -> new EvaluationGate(-0.1));
  }
}
