package org.mlmspark.distributed;

import java.util.Map;

/**
 * Where a rank reports progress: every report reaches the driver's log while the stage runs (and the run's
 * {@link DataParallelSettings#metricsListener()}). Reporting never fails the rank: if the driver cannot be
 * reached, reports are dropped after one warning in the executor's log.
 */
public interface MetricsSink {
  /** Numeric metrics of one step, e.g. {@code step(120, Map.of("loss", 2.31, "lr", 5e-5))}; order is kept. */
  void step(long step, Map<String, Double> values);

  /** A free-text event, e.g. "resumed from step 400". */
  void message(String text);
}
