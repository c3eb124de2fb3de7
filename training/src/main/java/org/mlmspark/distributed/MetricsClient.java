package org.mlmspark.distributed;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mlmspark.allreduce.AllReduceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rank's connection to the driver's {@link MetricsServer}. Each report is one small line written straight to
 * the socket (a line per step fits the socket buffer, so writing does not wait for the driver). A rank that
 * cannot reach the driver keeps training: metrics are progress reports, not results.
 */
final class MetricsClient implements MetricsSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsClient.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final int rank;
  private final int worldSize;
  private final int attempt;
  private Socket socket;
  private Writer out;

  private MetricsClient(int rank, int worldSize, int attempt) {
    this.rank = rank;
    this.worldSize = worldSize;
    this.attempt = attempt;
  }

  static MetricsClient connect(String address, String token, int rank, int worldSize, int attempt) {
    MetricsClient client = new MetricsClient(rank, worldSize, attempt);
    int colon = address.lastIndexOf(':');
    try {
      client.socket = new Socket();
      client.socket.connect(new InetSocketAddress(address.substring(0, colon),
          Integer.parseInt(address.substring(colon + 1))), CONNECT_TIMEOUT_MILLIS);
      client.socket.setTcpNoDelay(true);
      client.out = new OutputStreamWriter(client.socket.getOutputStream(), StandardCharsets.UTF_8);
      client.out.write(token + "\n");
      client.out.flush();
    } catch (IOException e) {
      client.drop("cannot reach the driver's metrics listener at " + address, e);
    }
    return client;
  }

  @Override
  public synchronized void step(long step, Map<String, Double> values) {
    send(new RankMetrics(rank, worldSize, attempt, step, new LinkedHashMap<>(values), null, null));
  }

  @Override
  public synchronized void message(String text) {
    send(new RankMetrics(rank, worldSize, attempt, null, Map.of(), text, null));
  }

  /** Reports this rank's failure; sent before its ring closes, so the cause tends to arrive before its effects. */
  synchronized void failed(Exception error) {
    send(new RankMetrics(rank, worldSize, attempt, null, Map.of(), error.toString(),
        error instanceof AllReduceException ? RankMetrics.Failure.PEER : RankMetrics.Failure.OWN));
  }

  private void send(RankMetrics report) {
    if (out == null) {
      return;
    }
    try {
      out.write(MetricsServer.JSON.writeValueAsString(report) + "\n");
      out.flush();
    } catch (IOException e) {
      drop("the driver's metrics connection failed", e);
    }
  }

  private void drop(String why, IOException e) {
    LOG.warn("rank {}: {} ({}); metrics of this rank are no longer reported", rank, why, e.toString());
    out = null;
    close();
  }

  @Override
  public synchronized void close() {
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
  }
}
