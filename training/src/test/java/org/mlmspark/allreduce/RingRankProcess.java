package org.mlmspark.allreduce;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import org.mlmspark.support.Hashing;

/**
 * One rank as its own JVM, for {@link RingAllReduceProcessTest}. Prints {@code LISTEN host:port}, reads {@code
 * PEERS a,b,...} (the test plays Spark's allGather), then sums {@link LoopbackRing#contribution} per iteration and
 * prints {@code RESULT iteration sha256}; on failure prints {@code FAILED message} and exits 3.
 *
 * <p>Arguments: rank, world size, job id, floats, iterations, timeout in ms.
 */
public final class RingRankProcess {
  private RingRankProcess() {}

  public static void main(String[] args) throws Exception {
    int rank = Integer.parseInt(args[0]);
    String jobId = args[2];
    int floats = Integer.parseInt(args[3]);
    int iterations = Integer.parseInt(args[4]);
    RingOptions options = RingOptions.of(jobId).withTimeout(Duration.ofMillis(Long.parseLong(args[5])));
    ServerSocketChannel listener = RingAllReduce.listen("127.0.0.1", options);
    System.out.println("LISTEN " + RingAllReduce.address(listener));
    System.out.flush();
    String peers = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (peers == null || !peers.startsWith("PEERS ")) {
      throw new IllegalStateException("expected PEERS, got " + peers);
    }
    try (AllReduce ring = AllReduce.open(listener, rank, List.of(peers.substring(6).split(",")), options)) {
      if (ring.worldSize() != Integer.parseInt(args[1])) {
        throw new IllegalStateException("world size " + ring.worldSize() + " is not " + args[1]);
      }
      for (int i = 0; i < iterations; i++) {
        ByteBuffer data = LoopbackRing.contribution(rank, floats, i);
        ring.sumInPlace(data);
        System.out.println("RESULT " + i + " " + sha256(data));
        System.out.flush();
      }
    } catch (AllReduceException e) {
      System.out.println("FAILED " + e.getMessage());
      System.out.flush();
      System.exit(3);
    }
  }

  static String sha256(ByteBuffer data) {
    MessageDigest digest = Hashing.sha256();
    digest.update(data.duplicate());
    return Hashing.hex(digest);
  }
}
