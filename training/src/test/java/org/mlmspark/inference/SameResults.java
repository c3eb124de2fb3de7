package org.mlmspark.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** Batch results against the single-text pipeline results: same tokens and texts, scores within 1e-6 relative. */
final class SameResults {
  static final double SCORE_TOLERANCE = 1e-6;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SameResults() {}

  static void assertSame(List<List<FillMask.Prediction>> expected, List<List<FillMask.Prediction>> actual,
      String context) {
    assertEquals(expected.size(), actual.size(), "masks of " + context);
    for (int m = 0; m < expected.size(); m++) {
      assertEquals(expected.get(m).size(), actual.get(m).size(), "predictions of " + context);
      for (int k = 0; k < expected.get(m).size(); k++) {
        FillMask.Prediction want = expected.get(m).get(k);
        FillMask.Prediction got = actual.get(m).get(k);
        assertEquals(want.token(), got.token(), context + " mask " + m + " rank " + k);
        assertEquals(want.tokenStr(), got.tokenStr(), context);
        assertEquals(want.sequence(), got.sequence(), context);
        double relative = Math.abs(want.score() - got.score()) / want.score();
        assertTrue(relative <= SCORE_TOLERANCE, context + ": score " + got.score() + " vs " + want.score());
      }
    }
  }

  /** The {@code predictions} column of a result row as JSON (Spark's toJSON, or a JSON lines output). */
  static List<List<FillMask.Prediction>> parse(JsonNode predictions) {
    return JSON.convertValue(predictions, new TypeReference<>() {});
  }
}
