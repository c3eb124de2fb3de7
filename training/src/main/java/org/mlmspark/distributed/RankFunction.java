package org.mlmspark.distributed;

import java.io.Serializable;

/**
 * The work of one data-parallel rank, shipped to every Spark barrier task of the stage. Every rank runs the same
 * function; {@link RankContext#rank()} tells them apart. The function must issue the same collectives in the same
 * order on every rank, and must resume from {@link RankContext#resumeStep()} when it is set: a retried stage
 * starts every rank afresh.
 *
 * @param <R> what each rank hands back to the driver (Java-serialized)
 */
@FunctionalInterface
public interface RankFunction<R extends Serializable> extends Serializable {
  R run(RankContext context) throws Exception;
}
