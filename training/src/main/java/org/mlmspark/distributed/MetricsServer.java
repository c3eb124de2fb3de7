package org.mlmspark.distributed;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on the driver for the length of one data-parallel stage: ranks connect once and send one JSON
 * {@link RankMetrics} per line, which is logged and handed to a listener as it arrives, so progress is visible
 * while training runs and not only when the stage returns. Spark's accumulators would only arrive with task
 * completion, and the driver's log is where a user watches a job.
 *
 * <p>A random token, shipped to the ranks inside the task closure, keeps stray connections out of the log.
 */
final class MetricsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataParallel.class);
  static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final int MAX_LINE_CHARS = 64 * 1024;

  private final ServerSocket server;
  private final String advertisedHost;
  private final String token;
  private final Consumer<RankMetrics> listener;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

  private MetricsServer(ServerSocket server, String advertisedHost, String token,
      Consumer<RankMetrics> listener) {
    this.server = server;
    this.advertisedHost = advertisedHost;
    this.token = token;
    this.listener = listener;
  }

  /**
   * Listens on an ephemeral port of {@code bindHost}; ranks dial {@code advertisedHost} (Spark's {@code
   * spark.driver.bindAddress} and {@code spark.driver.host}: they differ behind NAT, e.g. on Kubernetes).
   */
  static MetricsServer start(String bindHost, String advertisedHost, Consumer<RankMetrics> listener) {
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    try {
      ServerSocket server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(bindHost), 0));
      MetricsServer metrics =
          new MetricsServer(server, advertisedHost, HexFormat.of().formatHex(secret), listener);
      daemon("metrics-accept", metrics::acceptLoop).start();
      return metrics;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for rank metrics on " + bindHost, e);
    }
  }

  /** {@code host:port} for the ranks to dial. */
  String address() {
    return advertisedHost + ":" + server.getLocalPort();
  }

  String token() {
    return token;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.add(socket);
        daemon("metrics-reader", () -> read(socket)).start();
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.warn("metrics listener failed, rank reports are no longer logged: {}", e.toString());
        }
        return;
      }
    }
  }

  private void read(Socket socket) {
    try (socket; BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      if (!token.equals(in.readLine())) {
        return;
      }
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.length() > MAX_LINE_CHARS) {
          continue;
        }
        deliver(JSON.readValue(line, RankMetrics.class));
      }
    } catch (SocketException e) {
      // A rank that dies mid-stage resets its connection; its failure reaches the driver through Spark.
    } catch (IOException e) {
      LOG.warn("dropped a malformed rank report: {}", e.getMessage());
    } finally {
      connections.remove(socket);
    }
  }

  private void deliver(RankMetrics report) {
    LOG.info("{}", report.logLine());
    if (listener != null) {
      try {
        listener.accept(report);
      } catch (RuntimeException e) {
        LOG.warn("the metrics listener failed on '{}': {}", report.logLine(), e.toString());
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket socket : connections) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }
}
