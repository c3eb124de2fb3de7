package org.mlmspark.testing;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The test JVM's real classpath and Spark-related JVM flags, to start further JVMs (Spark daemons, drivers) alike. */
public final class TestClasspath {
  private TestClasspath() {}

  /**
   * Classpath entries. Surefire runs tests through a manifest-only jar, so {@code java.class.path} names only
   * that jar; the real list is in {@code surefire.test.class.path}.
   */
  public static List<Path> entries() {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(classpath.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
  }

  public static String joined() {
    return String.join(File.pathSeparator, entries().stream().map(Path::toString).toList());
  }

  public static List<Path> jars() {
    return entries().stream().filter(p -> p.toString().endsWith(".jar") && Files.isRegularFile(p)).toList();
  }

  public static List<Path> classDirectories() {
    return entries().stream().filter(Files::isDirectory).toList();
  }

  /**
   * This JVM's module-opening and Spark/DJL/logging flags (surefire's argLine, minus heap and JIT settings),
   * which a driver started with plain {@code java} needs; Spark adds them to executors itself.
   */
  public static List<String> sparkJvmFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
            || a.startsWith("-Djdk.reflect.") || a.startsWith("-Dio.netty.") || a.startsWith("-Dai.djl.")
            || a.startsWith("-Dlog4j2.configurationFile"))
        .toList();
  }

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
