package org.mlmspark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mlmspark.cli.Cli;

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
    return start(new ArrayList<>(), main, jvmOptions, systemProperties, log, args);
  }

  /**
   * As {@link #start}, the child leading a process group of its own (as a terminal's foreground job does), so
   * that {@link #interruptGroup} reaches it and whatever it started, and not this JVM.
   */
  public static Process startInOwnGroup(Class<?> main, List<String> systemProperties, Path log, String... args)
      throws IOException {
    return start(new ArrayList<>(List.of("setsid")), main, List.of(), systemProperties, log, args);
  }

  /** SIGINT to the child's whole process group: what Ctrl-C in a terminal sends. */
  public static void interruptGroup(Process child) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + child.pid()).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -INT -" + child.pid() + " failed");
    }
  }

  /**
   * What every command shows after Ctrl-C, checked on an ended child: exit 130, exactly one {@code interrupted}
   * line, no stack frames. Returns the last line printed, which says what was kept.
   */
  public static String interruptedLastLine(Process child, Path log) throws IOException {
    String printed = Files.readString(log);
    assertEquals(Cli.INTERRUPTED, child.exitValue(), printed);
    List<String> lines = printed.lines().toList();
    assertEquals(1, lines.stream().filter(l -> l.startsWith("interrupted")).count(), printed);
    assertFalse(lines.stream().anyMatch(l -> l.trim().startsWith("at ") || l.contains("Exception")), printed);
    return lines.get(lines.size() - 1);
  }

  private static Process start(List<String> command, Class<?> main, List<String> jvmOptions,
      List<String> systemProperties, Path log, String... args) throws IOException {
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
