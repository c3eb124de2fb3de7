package org.mlmspark.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  private final BlockingQueue<RankMetrics> received = new LinkedBlockingQueue<>();

  @Test
  void reportsArriveOneByOneWithRankAttemptAndOrderedValues() throws Exception {
    try (MetricsServer server = MetricsServer.start("127.0.0.1", "127.0.0.1", received::add);
        MetricsClient client = MetricsClient.connect(server.address(), server.token(), 1, 2, 3)) {
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("loss", 2.5);
      values.put("lr", 5e-5);
      values.put("grad_norm", Double.NaN);
      client.step(40, values);
      RankMetrics step = received.poll(10, TimeUnit.SECONDS);
      assertEquals(new RankMetrics(1, 2, 3, 40L, values, null, null), step);
      assertEquals(List.of("loss", "lr", "grad_norm"), List.copyOf(step.values().keySet()));
      assertEquals("rank 1/2 attempt 3 step 40: loss=2.50000 lr=5.00000e-05 grad_norm=NaN", step.logLine());

      client.message("resumed from step 400");
      RankMetrics message = received.poll(10, TimeUnit.SECONDS);
      assertEquals("rank 1/2 attempt 3: resumed from step 400", message.logLine());
    }
  }

  @Test
  void aConnectionWithoutTheRunsTokenIsIgnored() throws Exception {
    try (MetricsServer server = MetricsServer.start("127.0.0.1", "127.0.0.1", received::add)) {
      String[] hostPort = server.address().split(":");
      try (Socket stranger = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
          Writer out = new OutputStreamWriter(stranger.getOutputStream(), StandardCharsets.UTF_8)) {
        out.write("not-the-token\n{\"rank\":0,\"worldSize\":1,\"attempt\":0,\"message\":\"forged\"}\n");
        out.flush();
        try (MetricsClient client = MetricsClient.connect(server.address(), server.token(), 0, 1, 0)) {
          client.message("genuine");
          assertEquals("genuine", received.poll(10, TimeUnit.SECONDS).message());
        }
        assertNull(received.poll(200, TimeUnit.MILLISECONDS));
      }
    }
  }

  @Test
  void aRankThatCannotReachTheDriverKeepsGoing() throws Exception {
    String address;
    try (MetricsServer server = MetricsServer.start("127.0.0.1", "127.0.0.1", received::add)) {
      address = server.address();
    }
    try (MetricsClient client = MetricsClient.connect(address, "token", 0, 1, 0)) {
      client.step(1, Map.of("loss", 1.0));
      client.message("still training");
    }
    assertTrue(received.isEmpty());
  }
}
