package org.mlmspark.allreduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ranks as separate JVMs: this test's JVM is rank 0, the others are {@link RingRankProcess} children. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RingAllReduceProcessTest {
  private final List<Child> children = new ArrayList<>();

  @Test
  void ranksInSeparateJvmsEndWithTheSameBits() throws Exception {
    int floats = 1_000_003;
    int iterations = 3;
    RingOptions options = RingOptions.of("process-test").withTimeout(Duration.ofSeconds(60));
    try (AllReduce ring = formRing(3, options, floats, iterations)) {
      for (int i = 0; i < iterations; i++) {
        ByteBuffer data = LoopbackRing.contribution(0, floats, i);
        List<ByteBuffer> others =
            List.of(LoopbackRing.contribution(1, floats, i), LoopbackRing.contribution(2, floats, i));
        double[] exact = new double[floats];
        double[] magnitude = new double[floats];
        for (ByteBuffer input : List.of(data, others.get(0), others.get(1))) {
          for (int f = 0; f < floats; f++) {
            exact[f] += input.getFloat(f * Float.BYTES);
            magnitude[f] += Math.abs(input.getFloat(f * Float.BYTES));
          }
        }
        ring.sumInPlace(data);
        for (int f = 0; f < floats; f++) {
          if (Math.abs(data.getFloat(f * Float.BYTES) - exact[f]) > 1e-6 * magnitude[f]) {
            throw new AssertionError("float " + f + " is " + data.getFloat(f * Float.BYTES) + ", exact " + exact[f]);
          }
        }
        String mine = RingRankProcess.sha256(data);
        for (Child child : children) {
          assertEquals("RESULT " + i + " " + mine, child.nextLine(), "rank " + child.rank + " iteration " + i);
        }
      }
    }
    for (Child child : children) {
      assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, child.process.exitValue());
    }
  }

  @Test
  void aKilledRankProcessFailsTheOthersWithinTheTimeout() throws Exception {
    Duration timeout = Duration.ofSeconds(10);
    RingOptions options = RingOptions.of("kill-test").withTimeout(timeout);
    try (AllReduce ring = formRing(3, options, 500_000, 1000)) {
      for (int i = 0; i < 2; i++) {
        ring.sumInPlace(LoopbackRing.contribution(0, 500_000, i));
      }
      Child victim = children.get(1);
      victim.process.destroyForcibly().waitFor();
      long killed = System.nanoTime();
      AllReduceException e = assertThrows(AllReduceException.class, () -> {
        for (int i = 2; i < 1000; i++) {
          ring.sumInPlace(LoopbackRing.contribution(0, 500_000, i));
        }
      });
      assertTrue(System.nanoTime() - killed < timeout.toNanos(), "rank 0 failed within the timeout: " + e);
      Child survivor = children.get(0);
      assertTrue(survivor.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS), "rank 1 gave up in time");
      assertEquals(3, survivor.process.exitValue());
      String failure = survivor.output().stream().filter(l -> l.startsWith("FAILED")).findFirst().orElse("(none)");
      assertTrue(failure.contains("rank "), failure);
    }
  }

  @AfterEach
  void stopChildren() {
    children.forEach(child -> child.process.destroyForcibly());
  }

  /** Starts ranks 1.. as child JVMs, exchanges addresses as Spark's allGather would, and joins as rank 0. */
  private AllReduce formRing(int worldSize, RingOptions options, int floats, int iterations) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int rank = 1; rank < worldSize; rank++) {
      Process process = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
          RingRankProcess.class.getName(), Integer.toString(rank), Integer.toString(worldSize), options.jobId(),
          Integer.toString(floats), Integer.toString(iterations), Long.toString(options.timeout().toMillis()))
          .redirectErrorStream(true).start();
      children.add(new Child(rank, process));
    }
    ServerSocketChannel listener = RingAllReduce.listen("127.0.0.1", options);
    List<String> peers = new ArrayList<>(List.of(RingAllReduce.address(listener)));
    for (Child child : children) {
      String line = child.nextLine();
      assertTrue(line.startsWith("LISTEN "), line);
      peers.add(line.substring("LISTEN ".length()));
    }
    for (Child child : children) {
      Writer stdin = child.process.outputWriter(StandardCharsets.UTF_8);
      stdin.write("PEERS " + String.join(",", peers) + "\n");
      stdin.flush();
    }
    return AllReduce.open(listener, 0, peers, options);
  }

  /** A child rank whose output lines are collected by a reader thread, so a full pipe never stalls it. */
  private static final class Child {
    final int rank;
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    Child(int rank, Process process) {
      this.rank = rank;
      this.process = process;
      reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
          }
        } catch (IOException ignored) {
          // The child was killed: its output ends here.
        }
      }, "rank-" + rank + "-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Every line not yet taken, once the child has exited and its output is read to the end. */
    List<String> output() throws InterruptedException {
      reader.join();
      return List.copyOf(lines);
    }

    String nextLine() {
      try {
        String line = lines.poll(60, TimeUnit.SECONDS);
        if (line == null) {
          throw new AssertionError("rank " + rank + " printed nothing for 60 s");
        }
        return line;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
