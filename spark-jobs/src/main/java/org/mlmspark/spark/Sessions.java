package org.mlmspark.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.SparkSession;

/**
 * The one place jobs get Spark from. Settings come from Spark's usual sources: {@code spark.*} system
 * properties (bin/ launchers turn {@code --master}/{@code --conf} into those when embedded), spark-submit, or
 * conf/spark-defaults.conf; S3A and other Hadoop options as {@code --conf spark.hadoop.fs.s3a.*=...}. Log levels
 * come from conf/log4j2.properties (Spark and Hadoop at WARN, the project at INFO), not from code, so a cluster's
 * own logging setup is respected.
 */
public final class Sessions {
  private Sessions() {}

  /** The running session, or a new one; embedded {@code local[*]} unless a master is configured. */
  public static SparkSession getOrCreate(String appName) {
    if (SparkSession.getDefaultSession().isDefined()) {
      return SparkSession.getDefaultSession().get();
    }
    SparkConf conf = new SparkConf();
    conf.setIfMissing("spark.master", "local[*]");
    conf.setIfMissing("spark.app.name", appName);
    conf.setIfMissing("spark.ui.enabled", "false");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * The Hadoop configuration the session will use ({@code spark.hadoop.*} applied), available before Spark
   * starts, so inputs, tokenizer and output can be checked without paying for a session.
   */
  public static Configuration hadoopConfiguration() {
    return SparkSession.getDefaultSession().isDefined()
        ? SparkSession.getDefaultSession().get().sparkContext().hadoopConfiguration()
        : SparkHadoopUtil.get().newConfiguration(new SparkConf());
  }
}
