package org.mlmspark.distributed.toy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.Serializable;
import org.mlmspark.distributed.RankContext;
import org.mlmspark.distributed.RankFunction;

/**
 * {@link LinearToy} as a data-parallel rank: resumes from the agreed checkpoint, rank 0 checkpoints every
 * {@code checkpointEvery} steps, and on stage attempt 0 one rank can be made to fail at a chosen step.
 */
public record LinearRankFunction(LinearToy.Plan plan, int checkpointEvery, Fault fault)
    implements RankFunction<LinearRankFunction.Result> {
  public enum FaultMode {
    /** The rank's task throws: Spark sees a failed task, the executor lives on. */
    THROW,
    /** The executor JVM halts at once, as if killed: Spark loses the executor. */
    HALT
  }

  public record Fault(int rank, long step, FaultMode mode) implements Serializable {}

  /** @param resumedFrom the checkpoint step this rank started from, -1 for a fresh start */
  public record Result(int rank, int attempt, long resumedFrom, float[] weights) implements Serializable {}

  public static LinearRankFunction uninterrupted(LinearToy.Plan plan) {
    return new LinearRankFunction(plan, 0, null);
  }

  @Override
  public Result run(RankContext context) {
    LinearToy toy = new LinearToy(plan);
    float[] weights = new float[LinearToy.FEATURES + 1];
    long from = 0;
    if (context.resumeStep().isPresent()) {
      from = context.resumeStep().getAsLong();
      weights = context.checkpoints().load(from, in -> {
        DataInputStream data = new DataInputStream(in);
        float[] loaded = new float[LinearToy.FEATURES + 1];
        for (int p = 0; p < loaded.length; p++) {
          loaded[p] = data.readFloat();
        }
        return loaded;
      });
    }
    toy.train(context.allReduce(), weights, from, context.metrics(), step -> {
      context.checkCancelled();
      if (fault != null && context.attempt() == 0 && context.rank() == fault.rank() && step == fault.step()) {
        if (fault.mode() == FaultMode.HALT) {
          Runtime.getRuntime().halt(137);
        }
        throw new IllegalStateException("injected failure at step " + step);
      }
    }, (done, current) -> {
      if (context.rank() == 0 && checkpointEvery > 0 && done % checkpointEvery == 0) {
        context.checkpoints().save(done, out -> {
          DataOutputStream data = new DataOutputStream(out);
          for (float w : current) {
            data.writeFloat(w);
          }
          data.flush();
        });
      }
    });
    return new Result(context.rank(), context.attempt(), context.resumeStep().orElse(-1), weights);
  }
}
