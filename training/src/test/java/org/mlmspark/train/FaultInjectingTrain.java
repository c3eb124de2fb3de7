package org.mlmspark.train;

import java.util.concurrent.Callable;
import org.apache.spark.SparkEnv;
import org.mlmspark.cli.Cli;
import org.mlmspark.train.cli.TrainCommand;
import org.mlmspark.train.distributed.TrainRank;
import org.mlmspark.train.job.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/train} with one more flag for tests of recovery, {@code --inject-failure RANK:STEP[:halt]}: rank RANK
 * fails after step STEP of the stage's first attempt, by throwing, or with {@code :halt} by halting its executor
 * JVM as a killed or crashed executor would vanish.
 */
@Command(name = "train")
public final class FaultInjectingTrain implements Callable<Integer> {
  @Mixin TrainCommand train;

  @Option(names = "--inject-failure", paramLabel = "RANK:STEP[:halt]")
  String injectFailure;

  /** Rank {@code rank} fails after {@code step} in stage attempt 0. */
  record InjectedFailure(int rank, long step, boolean haltExecutor) implements TrainRank.AfterStep {
    static InjectedFailure parse(String spec) {
      String[] parts = spec.split(":");
      boolean halt = parts.length == 3 && parts[2].equals("halt");
      if (parts.length != 2 && !halt) {
        throw new IllegalArgumentException("--inject-failure must be RANK:STEP or RANK:STEP:halt, got " + spec);
      }
      return new InjectedFailure(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), halt);
    }

    @Override
    public void afterStep(int rank, int attempt, long step) {
      if (attempt != 0 || rank != this.rank || step != this.step) {
        return;
      }
      if (!haltExecutor) {
        throw new IllegalStateException("injected failure after step " + step);
      }
      if ("driver".equals(SparkEnv.get().executorId())) { // Spark's id for the driver's own executor
        throw new IllegalStateException("injected halt after step " + step + " refused: this rank runs in the"
            + " driver JVM (local mode), which halting would end");
      }
      Runtime.getRuntime().halt(137); // no shutdown hooks, no goodbye to the driver: as SIGKILL would leave it
    }
  }

  @Override
  public Integer call() throws Exception {
    Training.run(train.run(), injectFailure == null ? TrainRank.AfterStep.NONE : InjectedFailure.parse(injectFailure));
    return Cli.OK;
  }

  public static void main(String[] args) {
    Cli.exit(new FaultInjectingTrain(), args);
  }
}
