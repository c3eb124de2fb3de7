package org.mlmspark.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A real S3-compatible server on loopback for S3A tests: s3proxy with its file-system backend, in its own JVM
 * (its Jetty clashes with Spark's). Each server gets fresh random credentials, so a test can check they never
 * leak. Buckets are directories under the server's base directory.
 */
public final class S3ProxyServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path baseDir;
  private final String accessKey;
  private final String secretKey;

  private S3ProxyServer(Process process, int port, Path baseDir, String accessKey, String secretKey) {
    this.process = process;
    this.port = port;
    this.baseDir = baseDir;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** Starts a server storing its buckets under {@code workDir}; returns once it accepts connections. */
  public static S3ProxyServer start(Path workDir) throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("project.root", "."), "common", "target", "test-tools", "s3proxy.jar");
    if (!Files.exists(jar)) {
      fail("s3proxy not found at " + jar + " (the common module's build copies it there: mvn -pl common test-compile)");
    }
    Path baseDir = Files.createDirectories(workDir.resolve("s3"));
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    String accessKey = "AK" + random(9).toUpperCase();
    String secretKey = random(20);
    Path properties = workDir.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + accessKey,
        "s3proxy.credential=" + secretKey,
        "jclouds.provider=filesystem-nio2",
        "jclouds.filesystem.basedir=" + baseDir,
        ""));
    Path log = workDir.resolve("s3proxy.log");
    Process process =
        new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-jar", jar.toString(), "--properties", properties.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    S3ProxyServer server = new S3ProxyServer(process, port, baseDir, accessKey, secretKey);
    server.awaitListening(log);
    return server;
  }

  private void awaitListening(Path log) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        fail("s3proxy exited:\n" + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    close();
    fail("s3proxy did not start listening on port " + port + ":\n" + Files.readString(log));
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** An empty bucket (a directory, with the file-system backend). */
  public void createBucket(String bucket) throws IOException {
    Files.createDirectories(baseDir.resolve(bucket));
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  /**
   * S3A settings for this server (as {@code fs.s3a.*} keys; prefix {@code spark.hadoop.} for {@code --conf}),
   * with retries cut down so a broken request fails in seconds instead of minutes.
   */
  public Map<String, String> s3aSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("fs.s3a.endpoint", "http://127.0.0.1:" + port);
    s.put("fs.s3a.endpoint.region", "us-east-1");
    s.put("fs.s3a.path.style.access", "true");
    s.put("fs.s3a.connection.ssl.enabled", "false");
    s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s.put("fs.s3a.access.key", accessKey);
    s.put("fs.s3a.secret.key", secretKey);
    s.put("fs.s3a.attempts.maximum", "1");
    s.put("fs.s3a.retry.limit", "2");
    s.put("fs.s3a.retry.interval", "100ms");
    s.put("fs.s3a.retry.throttle.limit", "2");
    s.put("fs.s3a.retry.throttle.interval", "100ms");
    s.put("fs.s3a.connection.establish.timeout", "15s"); // S3A raises anything lower to 15 s
    s.put("fs.s3a.connection.timeout", "30s");
    return s;
  }

  public void applyTo(Configuration conf) {
    s3aSettings().forEach(conf::set);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
