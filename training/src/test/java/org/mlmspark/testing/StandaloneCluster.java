package org.mlmspark.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A real Spark standalone cluster on loopback for tests: a Master and Workers as separate JVMs from the test
 * classpath (via {@link SparkHome}), and applications submitted through {@code SparkSubmit} in a JVM of their
 * own, as {@code spark-submit} would start them. Workers launch executors as further JVMs, so killing an
 * executor is killing a process.
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.start(tempDir, 2)) {
 *   Path app = StandaloneCluster.appJar(tempDir.resolve("app.jar"));
 *   StandaloneCluster.Submission run = cluster.submit(MyApp.class.getName(), app, Map.of(), List.of("arg"),
 *       Duration.ofMinutes(2));
 *   assertEquals(0, run.exitCode(), run.output());
 * }
 * }</pre>
 *
 * <p>Sized for a small shared machine: daemons get 512 MB of heap, each Worker offers 1 core and 1 GB, i.e. one
 * executor of 1 GB and one task slot.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /** What a submitted application did: its exit code and its driver's output (stdout and stderr). */
  public record Submission(int exitCode, String output) {}

  private final Path dir;
  private final Path sparkHome;
  private final String masterUrl;
  private final List<Process> daemons = new ArrayList<>();
  private final Thread cleanup = new Thread(this::stopProcesses, "standalone-cluster-cleanup");

  private StandaloneCluster(Path dir, Path sparkHome, String masterUrl) {
    this.dir = dir;
    this.sparkHome = sparkHome;
    this.masterUrl = masterUrl;
  }

  /** Starts a Master and {@code workers} Workers (1 core, 1 GB each) and waits until all are registered. */
  public static StandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("logs"));
    int port = freePort();
    StandaloneCluster cluster = new StandaloneCluster(dir, SparkHome.create(dir.resolve("spark-home")),
        "spark://127.0.0.1:" + port);
    Runtime.getRuntime().addShutdownHook(cluster.cleanup);
    try {
      Path masterLog = cluster.daemon("master", "org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", "0");
      awaitLine(masterLog, "I have been elected leader", cluster);
      for (int w = 0; w < workers; w++) {
        Path workDir = Files.createDirectories(dir.resolve("worker-" + w));
        Path log = cluster.daemon("worker-" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
            "--cores", "1", "--memory", "1g", "--webui-port", "0", "--work-dir", workDir.toString(),
            cluster.masterUrl);
        awaitLine(log, "Successfully registered with master", cluster);
      }
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        cluster.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  public String masterUrl() {
    return masterUrl;
  }

  /**
   * Runs {@code SparkSubmit --master <this cluster> --class mainClass [--conf k=v ...] appJar args...} in client
   * mode, with executors of 1 GB and 1 core, and waits for it to end.
   */
  public Submission submit(String mainClass, Path appJar, Map<String, String> conf, List<String> args,
      Duration timeout) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(javaCommand("-Xmx512m"));
    command.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", masterUrl, "--class", mainClass,
        "--conf", "spark.executor.memory=1g", "--conf", "spark.executor.cores=1",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1"));
    conf.forEach((k, v) -> command.addAll(List.of("--conf", k + "=" + v)));
    command.add(appJar.toString());
    command.addAll(args);
    Path log = dir.resolve("logs").resolve("submit-" + System.nanoTime() + ".log");
    Process driver = processBuilder(command, log).start();
    if (!driver.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill(driver);
      throw new AssertionError("the application did not finish within " + timeout + "; driver output:\n"
          + Files.readString(log));
    }
    return new Submission(driver.exitValue(), Files.readString(log));
  }

  /**
   * A jar of every class directory on the test classpath (this module's classes and test classes, and those of
   * modules it depends on in the same build): the application jar to submit, as the build has not packaged
   * yet when tests run. Dependencies come from the cluster's {@link SparkHome} jars.
   */
  public static Path appJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      Set<String> added = new HashSet<>();
      for (Path classes : TestClasspath.classDirectories()) {
        Files.walkFileTree(classes, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            String name = classes.relativize(file).toString().replace('\\', '/');
            if (added.add(name)) {
              out.putNextEntry(new JarEntry(name));
              Files.copy(file, out);
              out.closeEntry();
            }
            return FileVisitResult.CONTINUE;
          }
        });
      }
    }
    return jar;
  }

  private Path daemon(String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(javaCommand("-Xmx512m"));
    command.add(mainClass);
    command.addAll(List.of(args));
    Path log = dir.resolve("logs").resolve(name + ".log");
    daemons.add(processBuilder(command, log).start());
    return log;
  }

  private List<String> javaCommand(String heap) {
    List<String> command = new ArrayList<>(List.of(TestClasspath.java(), heap, "-XX:TieredStopAtLevel=1"));
    command.addAll(TestClasspath.sparkJvmFlags().stream()
        .filter(flag -> !flag.startsWith("-Dlog4j2.configurationFile")).toList());
    command.addAll(List.of("-cp", TestClasspath.joined()));
    return command;
  }

  private ProcessBuilder processBuilder(List<String> command, Path log) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.13");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("OPT_OUT_TRACKING", "true");
    return builder;
  }

  private static void awaitLine(Path log, String marker, StandaloneCluster cluster)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(marker)) {
        return;
      }
      if (cluster.daemons.stream().anyMatch(p -> !p.isAlive())) {
        break;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("'" + marker + "' did not appear in " + log + ":\n"
        + (Files.exists(log) ? Files.readString(log) : "(no log)"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private void stopProcesses() {
    for (int i = daemons.size() - 1; i >= 0; i--) { // workers (and their executors) before the master
      kill(daemons.get(i));
    }
    for (Process process : daemons) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() throws IOException {
    stopProcesses();
    SparkHome.removeLinks(sparkHome);
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down and runs the hook
    }
  }
}
