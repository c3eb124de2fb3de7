package org.mlmspark.benchmarks.cli;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.allreduce.AllReduce;
import org.mlmspark.benchmarks.Median;
import org.mlmspark.cli.Cli;
import org.mlmspark.distributed.DataParallel;
import org.mlmspark.distributed.DataParallelException;
import org.mlmspark.distributed.DataParallelSettings;
import org.mlmspark.distributed.RankContext;
import org.mlmspark.distributed.RankFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/benchmark-data-parallel}: what data parallelism adds per step and per run, on this Spark (embedded
 * {@code local[*]} by default). Each step produces a synthetic gradient and averages it; one worker (no network)
 * is the baseline measured in the same run, so the difference is the all-reduce plus Spark's stage start.
 */
@Command(name = "benchmark-data-parallel", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Per-step and per-run overhead of DataParallel.run at N workers against 1 worker, same run.")
public final class DataParallelBenchmark implements Callable<Integer> {
  @Option(names = "--floats", defaultValue = "1000000",
      description = "Gradient floats per step (default: ${DEFAULT-VALUE}).")
  private int floats;

  @Option(names = "--steps", defaultValue = "50", description = "Steps per run (default: ${DEFAULT-VALUE}).")
  private int steps;

  @Option(names = "--workers", defaultValue = "2", description = "Workers to compare with 1 (default: ${DEFAULT-VALUE}).")
  private int workers;

  @Option(names = "--repeats", defaultValue = "3",
      description = "Runs per setting after one warm-up; the median is reported (default: ${DEFAULT-VALUE}).")
  private int repeats;

  /** Steps of: write a gradient, average it. Returns this rank's nanoseconds for all steps. */
  private record SyntheticSteps(int floats, int steps) implements RankFunction<Long> {
    @Override
    public Long run(RankContext context) {
      ByteBuffer gradient = AllReduce.allocateFloats(floats);
      long start = System.nanoTime();
      for (int step = 0; step < steps; step++) {
        for (int i = 0; i < floats; i++) {
          gradient.putFloat(i * Float.BYTES, (context.rank() + step + i % 13) * 1e-3f);
        }
        context.allReduce().averageInPlace(gradient);
      }
      return System.nanoTime() - start;
    }
  }

  private record Measured(double stageSeconds, double stepMillis) {}

  public static void main(String[] args) {
    Cli.exit(new DataParallelBenchmark(), args);
  }

  @Override
  public Integer call() {
    if (floats < 1 || steps < 1 || workers < 2 || repeats < 1) {
      System.err.println("error: --floats, --steps and --repeats must be positive and --workers at least 2");
      return 2;
    }
    SparkSession spark = SparkSession.builder().appName("benchmark-data-parallel").getOrCreate();
    try {
      System.out.printf(Locale.ROOT, "DataParallel.run on %s, %d cores: %,d-float (%.1f MB) gradient averaged per "
              + "step, %d steps, median of %d after 1 warm-up%n", spark.sparkContext().master(),
          Runtime.getRuntime().availableProcessors(), floats, floats * 4 / 1e6, steps, repeats);
      Measured one = measure(spark, 1);
      Measured many = measure(spark, workers);
      System.out.printf(Locale.ROOT, "%-8s %16s %12s%n", "workers", "stage start (s)", "step (ms)");
      System.out.printf(Locale.ROOT, "%-8d %16.3f %12.2f%n", 1, one.stageSeconds(), one.stepMillis());
      System.out.printf(Locale.ROOT, "%-8d %16.3f %12.2f%n", workers, many.stageSeconds(), many.stepMillis());
      System.out.printf(Locale.ROOT, "overhead of %d workers: %+.2f ms per step (%.2fx the 1-worker step), %+.3f s"
              + " per run%n", workers, many.stepMillis() - one.stepMillis(), many.stepMillis() / one.stepMillis(),
          many.stageSeconds() - one.stageSeconds());
      return 0;
    } catch (DataParallelException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    } finally {
      spark.stop();
    }
  }

  /** Stage start = wall time of the run minus the slowest rank's step time. */
  private Measured measure(SparkSession spark, int n) {
    List<Double> stage = new ArrayList<>();
    List<Double> step = new ArrayList<>();
    for (int run = 0; run <= repeats; run++) {
      long start = System.nanoTime();
      List<Long> rankNanos = DataParallel.run(spark, DataParallelSettings.of(n, "benchmark"),
          new SyntheticSteps(floats, steps));
      long wall = System.nanoTime() - start;
      long slowest = rankNanos.stream().mapToLong(Long::longValue).max().orElseThrow();
      if (run > 0) {
        stage.add((wall - slowest) / 1e9);
        step.add(slowest / 1e6 / steps);
      }
    }
    return new Measured(Median.of(stage), Median.of(step));
  }
}
