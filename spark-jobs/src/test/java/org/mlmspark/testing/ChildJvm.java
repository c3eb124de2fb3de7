package org.mlmspark.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a main class in a separate JVM with this test JVM's classpath and flags (Spark's add-opens, log
 * config): for tests that must kill a run the hard way.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * @param systemProperties extra {@code -D} flags, e.g. {@code spark.master=local[1]}
   * @param log where the child's stdout and stderr go
   */
  public static Process start(Class<?> main, List<String> systemProperties, Path log, String... args)
      throws IOException {
    return start(main, List.of(), systemProperties, log, args);
  }

  /** @param jvmOptions flags after this JVM's own, so they win (e.g. {@code -Xmx512m}) */
  public static Process start(Class<?> main, List<String> jvmOptions, List<String> systemProperties, Path log,
      String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(jvmOptions);
    systemProperties.forEach(p -> command.add("-D" + p));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
