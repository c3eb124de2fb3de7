package org.mlmspark.distributed;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.cli.Cli;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Runs a {@link RankFunction} on {@code workers} ranks at once, as one Spark barrier stage of that many tasks:
 * Spark starts all tasks together or none, and if any task or executor is lost it fails the whole stage and
 * reruns all of it, up to {@code spark.stage.maxConsecutiveAttempts} attempts in all (default 4); barrier task
 * failures do not count against {@code spark.task.maxFailures}. The function resumes from
 * {@link RankContext#resumeStep()}.
 *
 * <p>Results travel through one small shuffle (that is what makes the barrier stage retryable). Should an
 * executor holding a finished rank's result be lost before the driver fetched it, Spark reruns the stage: a
 * function that checkpoints its final state makes that rerun cheap.
 *
 * <pre>{@code
 * List<Model> perRank = DataParallel.run(spark, DataParallelSettings.of(2, "fine-tune")
 *     .withCheckpointDir("s3a://bucket/run-7/checkpoints"), context -> train(context));
 * }</pre>
 */
public final class DataParallel {
  private static final Logger LOG = LoggerFactory.getLogger(DataParallel.class);
  private static final long SLOT_POLL_MILLIS = 500;

  private DataParallel() {}

  public static <R extends Serializable> List<R> run(SparkSession spark, DataParallelSettings settings,
      RankFunction<R> function) {
    return run(spark.sparkContext(), settings, function);
  }

  /**
   * Runs the stage and returns each rank's result, indexed by rank.
   *
   * @throws DataParallelException if the cluster lacks slots for {@code workers} tasks, or the stage failed in
   *     every attempt Spark allowed (the message names the rank and its error)
   */
  public static <R extends Serializable> List<R> run(SparkContext sc, DataParallelSettings settings,
      RankFunction<R> function) {
    int workers = settings.workers();
    checkBarrierAllowed(sc);
    awaitSlots(sc, settings);
    CheckpointStore checkpoints = settings.checkpointDir() == null ? null
        : CheckpointStore.at(settings.checkpointDir(), sc.hadoopConfiguration());
    RankFailures failures = new RankFailures();
    Consumer<RankMetrics> listener = settings.metricsListener() == null ? failures
        : failures.andThen(settings.metricsListener());
    String driverHost = sc.getConf().get("spark.driver.host");
    try (MetricsServer metrics = MetricsServer.start(sc.getConf().get("spark.driver.bindAddress", driverHost),
        driverHost, listener)) {
      RankTask<R> task = new RankTask<>(settings.runName() + "/" + sc.applicationId(),
          settings.collectiveTimeout(), settings.bucketFloats(), checkpoints, metrics.address(), metrics.token(),
          function);
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
      ClassTag<byte[]> bytes = ClassTag$.MODULE$.apply(byte[].class);
      sc.setJobDescription("data-parallel " + settings.runName() + " (" + workers + " ranks)");
      LOG.info("data-parallel {}: {} ranks, checkpoints {}", settings.runName(), workers,
          checkpoints == null ? "off" : checkpoints.directory());
      List<byte[]> encoded;
      try {
        // Spark reruns a failed barrier stage only if it is a shuffle-map stage (a failed barrier result stage
        // aborts the job), hence the shuffle between the ranks and collect().
        encoded = JavaRDD.fromRDD(jsc.parallelize(IntStream.range(0, workers).boxed().toList(), workers).rdd()
            .barrier().mapPartitions(task, false, bytes), bytes).repartition(1).collect();
      } catch (Exception e) {
        throw new DataParallelException("data-parallel " + settings.runName() + " failed: "
            + failures.cause().orElseGet(() -> firstLine(e)), e);
      } finally {
        sc.setJobDescription(null);
      }
      return decode(encoded, workers);
    }
  }

  /** Spark refuses barrier stages under dynamic allocation, after submitting; say so before. */
  private static void checkBarrierAllowed(SparkContext sc) {
    if (sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
      throw new DataParallelException("data-parallel training runs as a Spark barrier stage, which Spark does not"
          + " support with dynamic allocation: set spark.dynamicAllocation.enabled=false", Cli.USAGE);
    }
  }

  /**
   * Waits until the cluster offers a task slot per rank. A barrier stage needs all its slots at once; Spark
   * itself only re-checks every 15 s, 40 times, unless spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures
   * is lowered (conf/spark-defaults.conf sets 1, so that a real shortage fails fast, but then a job submitted
   * before the executors registered would fail too: hence this wait).
   */
  private static void awaitSlots(SparkContext sc, DataParallelSettings settings) {
    long deadline = System.nanoTime() + settings.slotWait().toNanos();
    int slots = slots(sc);
    while (slots < settings.workers() && !sc.isLocal() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(SLOT_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      slots = slots(sc);
    }
    if (slots < settings.workers()) {
      throw new DataParallelException(settings.workers() + " data-parallel workers need " + settings.workers()
          + " task slots at once, but " + sc.master() + " offers " + slots
          + (sc.isLocal() ? "" : " after waiting " + settings.slotWait().toSeconds() + " s")
          + " (one slot = spark.task.cpus cores, and one GPU when spark.task.resource.gpu.amount is set):"
          + " use at most " + slots + " workers, or give the cluster more executors", Cli.USAGE);
    }
  }

  /**
   * The slot count Spark's own barrier check uses. {@code maxNumConcurrentTasks} is Spark-internal
   * ({@code private[spark]}, public in bytecode); no public API counts slots with task resources (GPUs) in.
   */
  private static int slots(SparkContext sc) {
    return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  private static <R> List<R> decode(List<byte[]> encoded, int workers) {
    List<R> results = new ArrayList<>();
    for (int r = 0; r < workers; r++) {
      results.add(null);
    }
    for (byte[] bytes : encoded) {
      try (ObjectInputStream in = new ApplicationObjectInputStream(new ByteArrayInputStream(bytes))) {
        int rank = in.readInt();
        @SuppressWarnings("unchecked")
        R result = (R) in.readObject();
        results.set(rank, result);
      } catch (IOException | ClassNotFoundException e) {
        throw new DataParallelException("a rank's result cannot be read on the driver: " + e, e);
      }
    }
    return results;
  }

  /** Resolves classes with the context class loader, which under spark-submit is the one holding the app jar. */
  private static final class ApplicationObjectInputStream extends ObjectInputStream {
    ApplicationObjectInputStream(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, Thread.currentThread().getContextClassLoader());
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }
}
