package org.mlmspark.distributed;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One report of one rank, as the driver receives it.
 *
 * @param step the step of numeric {@code values}, or null for a {@code message}
 * @param attempt the Spark stage attempt the rank runs in (0 first)
 * @param failure null, or how the rank failed (then {@code message} is its error)
 */
public record RankMetrics(int rank, int worldSize, int attempt, Long step, Map<String, Double> values,
    String message, Failure failure) {
  public enum Failure {
    /** The rank's own error: the cause of a failed stage attempt. */
    OWN,
    /** A collective failed because another rank failed or vanished: a consequence. */
    PEER
  }

  /** The driver's log line, e.g. {@code rank 1/2 attempt 0 step 40: loss=0.512300 lr=5.00000e-05}. */
  public String logLine() {
    String who = "rank " + rank + "/" + worldSize + " attempt " + attempt;
    if (step == null) {
      return who + (failure == null ? ": " : ": failed: ") + message;
    }
    return who + " step " + step + ": " + values.entrySet().stream()
        .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.6g", e.getValue()))
        .collect(Collectors.joining(" "));
  }
}
