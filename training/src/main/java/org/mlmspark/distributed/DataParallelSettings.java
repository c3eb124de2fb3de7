package org.mlmspark.distributed;

import java.time.Duration;
import java.util.function.Consumer;
import org.mlmspark.allreduce.RingOptions;

/**
 * How {@link DataParallel#run} runs one data-parallel stage. Driver-side: only the values the ranks need are
 * shipped to them.
 *
 * @param workers ranks, one Spark barrier task each; the cluster must offer this many concurrent task slots
 * @param runName names the run in Spark's UI, the driver log and the all-reduce handshake
 * @param checkpointDir where ranks keep checkpoints to resume from after a stage retry (a path or URI every
 *     executor can reach), or null for none
 * @param collectiveTimeout how long an all-reduce may stall (and ring set-up may take) before failing the rank;
 *     must cover the skew between ranks reaching the same collective
 * @param bucketFloats the all-reduce's bucket size (see {@link RingOptions#bucketFloats()})
 * @param slotWait how long to wait for executors to register before giving up on a cluster with too few slots
 * @param metricsListener called on the driver for every rank report as it arrives (besides logging), or null
 */
public record DataParallelSettings(int workers, String runName, String checkpointDir, Duration collectiveTimeout,
    int bucketFloats, Duration slotWait, Consumer<RankMetrics> metricsListener) {
  public static final Duration DEFAULT_SLOT_WAIT = Duration.ofMinutes(2);

  public DataParallelSettings {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    if (runName == null || runName.isBlank()) {
      throw new IllegalArgumentException("a data-parallel run needs a name");
    }
    if (collectiveTimeout.isNegative() || collectiveTimeout.isZero()) {
      throw new IllegalArgumentException("collective timeout must be positive, got " + collectiveTimeout);
    }
    if (bucketFloats < 1 || bucketFloats > RingOptions.MAX_BUCKET_FLOATS) {
      throw new IllegalArgumentException("bucket must hold 1.." + RingOptions.MAX_BUCKET_FLOATS + " floats");
    }
    if (slotWait.isNegative()) {
      throw new IllegalArgumentException("slot wait must not be negative, got " + slotWait);
    }
  }

  public static DataParallelSettings of(int workers, String runName) {
    return new DataParallelSettings(workers, runName, null, RingOptions.DEFAULT_TIMEOUT,
        RingOptions.DEFAULT_BUCKET_FLOATS, DEFAULT_SLOT_WAIT, null);
  }

  public DataParallelSettings withCheckpointDir(String value) {
    return new DataParallelSettings(workers, runName, value, collectiveTimeout, bucketFloats, slotWait,
        metricsListener);
  }

  public DataParallelSettings withCollectiveTimeout(Duration value) {
    return new DataParallelSettings(workers, runName, checkpointDir, value, bucketFloats, slotWait,
        metricsListener);
  }

  public DataParallelSettings withBucketFloats(int value) {
    return new DataParallelSettings(workers, runName, checkpointDir, collectiveTimeout, value, slotWait,
        metricsListener);
  }

  public DataParallelSettings withSlotWait(Duration value) {
    return new DataParallelSettings(workers, runName, checkpointDir, collectiveTimeout, bucketFloats, value,
        metricsListener);
  }

  public DataParallelSettings withMetricsListener(Consumer<RankMetrics> value) {
    return new DataParallelSettings(workers, runName, checkpointDir, collectiveTimeout, bucketFloats, slotWait,
        value);
  }
}
