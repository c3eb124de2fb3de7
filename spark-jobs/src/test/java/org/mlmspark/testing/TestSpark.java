package org.mlmspark.testing;

import org.apache.spark.sql.SparkSession;
import org.mlmspark.spark.Sessions;

/**
 * The test JVM's one Spark session (the first costs seconds, later ones are free): {@code local[2]} and few
 * shuffle partitions, so tests share the machine's two cores politely. Commands under test pick it up through
 * {@link Sessions#getOrCreate}.
 */
public final class TestSpark {
  private TestSpark() {}

  public static SparkSession session() {
    System.setProperty("spark.master", System.getProperty("spark.master", "local[2]"));
    System.setProperty("spark.sql.shuffle.partitions", "4");
    System.setProperty("spark.driver.host", "127.0.0.1");
    // conf/spark-defaults.conf's serializer, so that tests move data between tasks as bin/ commands do
    System.setProperty("spark.serializer", System.getProperty("spark.serializer",
        "org.apache.spark.serializer.KryoSerializer"));
    return Sessions.getOrCreate("mlm-spark tests");
  }
}
