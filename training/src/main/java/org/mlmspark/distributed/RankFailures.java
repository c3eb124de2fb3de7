package org.mlmspark.distributed;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The failures ranks reported during a run, to tell the user why it failed in one line. When Spark gives up on
 * a barrier stage its error names only a task; the cause is the one rank that failed by itself in the last
 * attempt, not the others whose collectives then lost their peer.
 */
final class RankFailures implements Consumer<RankMetrics> {
  private final List<RankMetrics> failures = new ArrayList<>();

  @Override
  public synchronized void accept(RankMetrics report) {
    if (report.failure() != null) {
      failures.add(report);
    }
  }

  /** The last attempt's first own failure, else its first failure, as a log line. */
  synchronized Optional<String> cause() {
    int lastAttempt = failures.stream().mapToInt(RankMetrics::attempt).max().orElse(-1);
    return failures.stream().filter(f -> f.attempt() == lastAttempt)
        .min(Comparator.comparing(f -> f.failure() == RankMetrics.Failure.OWN ? 0 : 1))
        .map(RankMetrics::logLine);
  }
}
