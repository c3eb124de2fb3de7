package org.mlmspark.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** SparkSessions for tests: small, quiet, and failing fast when a barrier stage cannot get its slots. */
public final class LocalSpark {
  private LocalSpark() {}

  private static SparkSession.Builder base(String master, String name) {
    return SparkSession.builder().master(master).appName(name)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "1");
  }

  /** {@code local[threads]}: executors are threads of this JVM. */
  public static SparkSession local(int threads, String name) {
    return base("local[" + threads + "]", name).getOrCreate();
  }

  /**
   * {@code local-cluster[executors,1,memoryMb]}: a master and workers in this JVM, executors as separate JVMs
   * with this JVM's classpath. Spark only allows it with {@code spark.testing}.
   */
  public static SparkSession localCluster(int executors, int memoryMb, Path sparkHomeDir, String name)
      throws IOException {
    Path home = SparkHome.create(sparkHomeDir);
    return base("local-cluster[" + executors + ",1," + memoryMb + "]", name)
        .config("spark.testing", "true")
        .config("spark.test.home", home.toString())
        .config("spark.executor.extraClassPath", TestClasspath.joined())
        .config("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=1")
        .getOrCreate();
  }
}
