package org.mlmspark.cli;

import org.apache.hadoop.conf.Configuration;

/** The Hadoop configuration of a command: defaults plus {@code spark.hadoop.*} properties (bin/ passes --conf as -D). */
public final class HadoopConf {
  private static final String PREFIX = "spark.hadoop.";

  private HadoopConf() {}

  public static Configuration fromSystemProperties() {
    Configuration conf = new Configuration();
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith(PREFIX))
        .forEach(k -> conf.set(k.substring(PREFIX.length()), System.getProperty(k)));
    return conf;
  }
}
