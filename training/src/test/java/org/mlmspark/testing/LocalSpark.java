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
   * with this JVM's classpath. Spark allows it only when testing, and its in-JVM Worker reads {@code
   * spark.testing} and {@code spark.test.home} (where executor classpaths come from) as system properties, not
   * from the SparkConf: call {@link #stopLocalCluster} to clear them.
   */
  public static SparkSession localCluster(int executors, int memoryMb, Path sparkHomeDir, String name)
      throws IOException {
    // One SparkContext per JVM: a local[n] session another test class left running would be returned instead.
    if (SparkSession.getDefaultSession().isDefined()) {
      SparkSession.getDefaultSession().get().stop();
    }
    Path home = SparkHome.create(sparkHomeDir);
    System.setProperty("spark.testing", "true");
    System.setProperty("spark.test.home", home.toString());
    return base("local-cluster[" + executors + ",1," + memoryMb + "]", name)
        .config("spark.executor.extraClassPath", TestClasspath.joined())
        .config("spark.executor.extraJavaOptions",
            "-XX:TieredStopAtLevel=1 -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1")
        .getOrCreate();
  }

  public static void stopLocalCluster(SparkSession spark) throws IOException {
    String home = System.getProperty("spark.test.home");
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      System.clearProperty("spark.testing");
      System.clearProperty("spark.test.home");
    }
    if (home != null) {
      SparkHome.removeLinks(Path.of(home));
    }
  }
}
