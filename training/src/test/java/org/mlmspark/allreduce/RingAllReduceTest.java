package org.mlmspark.allreduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RingAllReduceTest {
  private static final RingOptions SMALL_BUCKETS = RingOptions.of("test").withTimeout(Duration.ofSeconds(30))
      .withBucketFloats(1000);

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4})
  void sumsOddSizesInTheScheduleOrderWithBitIdenticalResultsOnEveryRank(int worldSize) {
    int[] sizes = {0, 1, worldSize - 1, worldSize, worldSize + 1, 13, 997, 4099, 65537};
    try (LoopbackRing ring = LoopbackRing.start(worldSize, SMALL_BUCKETS)) {
      for (int floats : sizes) {
        assertSumsCorrectly(ring, floats, SMALL_BUCKETS.bucketFloats(), floats);
      }
    }
  }

  @Test
  void sumsTenMillionFloatsAcrossThreeRanks() {
    RingOptions options = RingOptions.of("test").withTimeout(Duration.ofSeconds(60));
    try (LoopbackRing ring = LoopbackRing.start(3, options)) {
      assertSumsCorrectly(ring, 10_000_000, options.bucketFloats(), 42);
    }
  }

  @Test
  void averagesAsSumThenDivideByWorldSize() {
    int floats = 1009;
    try (LoopbackRing ring = LoopbackRing.start(3, SMALL_BUCKETS)) {
      List<ByteBuffer> inputs = inputs(3, floats, 5);
      float[] sum = ringOrderSum(inputs, SMALL_BUCKETS.bucketFloats());
      List<ByteBuffer> results = ring.onEveryRank((rank, r) -> {
        ByteBuffer data = copy(inputs.get(rank));
        r.averageInPlace(data);
        return data;
      });
      for (int i = 0; i < floats; i++) {
        assertEquals(sum[i] / 3, results.get(0).getFloat(i * Float.BYTES), "float " + i);
      }
      assertBitIdentical(results);
    }
  }

  @Test
  void bucketsSubmittedAsynchronouslyCompleteInOrderWithCorrectSums() {
    int buckets = 6;
    int floats = 2503;
    try (LoopbackRing ring = LoopbackRing.start(4, SMALL_BUCKETS)) {
      List<List<ByteBuffer>> results = ring.onEveryRank((rank, r) -> {
        List<ByteBuffer> mine = new ArrayList<>();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
          mine.add(LoopbackRing.contribution(rank, floats, b));
          pending.add(r.sumAsync(mine.get(b)));
        }
        pending.forEach(AllReduce::await);
        return mine;
      });
      for (int b = 0; b < buckets; b++) {
        float[] expected = ringOrderSum(inputs(4, floats, b), SMALL_BUCKETS.bucketFloats());
        for (int r = 0; r < 4; r++) {
          assertEquals(expected[floats - 1], results.get(r).get(b).getFloat((floats - 1) * Float.BYTES));
          assertEquals(expected[0], results.get(r).get(b).getFloat(0), "bucket " + b + " rank " + r);
        }
      }
    }
  }

  @Test
  void leavesTheCallersPositionAndLimitAndTheBytesOutsideThemAlone() {
    try (LoopbackRing ring = LoopbackRing.start(2, SMALL_BUCKETS)) {
      List<ByteBuffer> results = ring.onEveryRank((rank, r) -> {
        ByteBuffer data = AllReduce.allocateFloats(10);
        for (int i = 0; i < 10; i++) {
          data.putFloat(i * Float.BYTES, rank + 1);
        }
        data.position(2 * Float.BYTES).limit(7 * Float.BYTES);
        r.sumInPlace(data);
        return data;
      });
      assertEquals(2 * Float.BYTES, results.get(0).position());
      assertEquals(7 * Float.BYTES, results.get(0).limit());
      ByteBuffer rank0 = results.get(0).duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(1f, rank0.getFloat(Float.BYTES));
      assertEquals(3f, rank0.getFloat(2 * Float.BYTES));
      assertEquals(3f, rank0.getFloat(6 * Float.BYTES));
      assertEquals(1f, rank0.getFloat(7 * Float.BYTES));
    }
  }

  @Test
  void barrierReturnsOnlyAfterEveryRankHasEnteredIt() throws Exception {
    AtomicBoolean lastRankEntered = new AtomicBoolean();
    try (LoopbackRing ring = LoopbackRing.start(3, SMALL_BUCKETS)) {
      List<Boolean> sawLastRank = ring.onEveryRank((rank, r) -> {
        if (rank == 2) {
          Thread.sleep(300);
          lastRankEntered.set(true);
        }
        r.barrier();
        return lastRankEntered.get();
      });
      assertEquals(List.of(true, true, true), sawLastRank);
    }
  }

  @Test
  void ranksIssuingDifferentCollectivesFailInsteadOfMixingData() {
    try (LoopbackRing ring = LoopbackRing.start(2, SMALL_BUCKETS)) {
      List<CompletableFuture<Void>> calls = ring.submit((rank, r) -> {
        r.sumInPlace(AllReduce.allocateFloats(rank == 0 ? 100 : 200));
        return null;
      });
      for (CompletableFuture<Void> call : calls) {
        AllReduceException e = failure(call);
        assertTrue(e.getMessage().contains("every rank must issue the same collectives"), e.getMessage());
      }
      AllReduceException later = assertThrows(AllReduceException.class,
          () -> ring.ranks.get(0).sumInPlace(AllReduce.allocateFloats(1)));
      assertTrue(later.getMessage().contains("closed after"), later.getMessage());
    }
  }

  @Test
  void aPeerClosedMidCollectiveFailsTheOthersWithinTheTimeout() {
    Duration timeout = Duration.ofSeconds(20);
    RingOptions options = RingOptions.of("test").withTimeout(timeout).withBucketFloats(10_000);
    try (LoopbackRing ring = LoopbackRing.start(3, options)) {
      long start = System.nanoTime();
      List<CompletableFuture<Void>> calls = ring.submit((rank, r) -> {
        ByteBuffer data = LoopbackRing.contribution(rank, 4_000_000, 1);
        if (rank == 2) {
          CompletableFuture<Void> mine = r.sumAsync(data);
          Thread.sleep(50);
          r.close();
          AllReduce.await(mine);
        } else {
          r.sumInPlace(data);
        }
        return null;
      });
      List<String> messages = new ArrayList<>();
      for (CompletableFuture<Void> call : calls) {
        messages.add(failure(call).getMessage());
      }
      assertTrue(System.nanoTime() - start < timeout.toNanos(), "failed within the timeout");
      assertTrue(messages.get(2).contains("closed"), messages.get(2));
      assertTrue(messages.subList(0, 2).stream().anyMatch(m -> m.contains("rank 2 (127.0.0.1:")), messages.toString());
      assertTrue(messages.subList(0, 2).stream().allMatch(m -> m.contains("collective #1 (sum of 4000000 floats)")),
          messages.toString());
    }
  }

  @Test
  void aPeerThatNeverShowsUpIsATimeoutNamingIt() throws Exception {
    // Rank 0 waits for rank 2 to connect, rank 1 tries to connect to it; rank 1 gives up later, so that rank 0
    // meets its own timeout rather than rank 1 closing on it.
    List<RingOptions> options = List.of(RingOptions.of("test").withTimeout(Duration.ofMillis(1500)),
        RingOptions.of("test").withTimeout(Duration.ofMillis(3000)));
    int vacantPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      vacantPort = probe.getLocalPort();
    }
    List<ServerSocketChannel> listeners = List.of(
        RingAllReduce.listen("127.0.0.1", options.get(0)), RingAllReduce.listen("127.0.0.1", options.get(1)));
    List<String> peers = List.of(RingAllReduce.address(listeners.get(0)), RingAllReduce.address(listeners.get(1)),
        "127.0.0.1:" + vacantPort);
    List<CompletableFuture<AllReduce>> opening = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      int rank = r;
      opening.add(CompletableFuture.supplyAsync(
          () -> AllReduce.open(listeners.get(rank), rank, peers, options.get(rank))));
    }
    String missing = "rank 2 (127.0.0.1:" + vacantPort + ")";
    AllReduceException left = failure(opening.get(0));
    assertTrue(left.getMessage().contains(missing + " did not connect")
        && left.getMessage().contains("within 1500 ms"), left.getMessage());
    assertInstanceOf(TimeoutException.class, left.getCause());
    AllReduceException right = failure(opening.get(1));
    assertTrue(right.getMessage().contains("could not connect to " + missing + " within 3000 ms"),
        right.getMessage());
    assertInstanceOf(TimeoutException.class, right.getCause());
  }

  @Test
  void aStalePeerOfAnEarlierAttemptIsRefusedAndTheRingFormsWithoutIt() {
    RingOptions current = RingOptions.of("job-1/attempt-2").withTimeout(Duration.ofSeconds(30));
    RingOptions stale = RingOptions.of("job-1/attempt-1").withTimeout(Duration.ofSeconds(30));
    ServerSocketChannel listener0 = RingAllReduce.listen("127.0.0.1", current);
    ServerSocketChannel listener1 = RingAllReduce.listen("127.0.0.1", current);
    ServerSocketChannel staleListener = RingAllReduce.listen("127.0.0.1", stale);
    String address0 = RingAllReduce.address(listener0);
    List<String> peers = List.of(address0, RingAllReduce.address(listener1));
    CompletableFuture<AllReduce> rank0 =
        CompletableFuture.supplyAsync(() -> AllReduce.open(listener0, 0, peers, current));

    AllReduceException refused = assertThrows(AllReduceException.class, () -> AllReduce.open(
        staleListener, 1, List.of(address0, RingAllReduce.address(staleListener)), stale));
    assertTrue(refused.getMessage().contains("rank 0 (" + address0 + ") refused this rank")
        && refused.getMessage().contains("job id 'job-1/attempt-1' is not 'job-1/attempt-2'"), refused.getMessage());

    try (AllReduce rank1 = AllReduce.open(listener1, 1, peers, current); AllReduce ring0 = rank0.join()) {
      ByteBuffer a = LoopbackRing.contribution(0, 5, 3);
      ByteBuffer b = LoopbackRing.contribution(1, 5, 3);
      float expected = a.getFloat(0) + b.getFloat(0);
      CompletableFuture<Void> first = ring0.sumAsync(a);
      rank1.sumInPlace(b);
      first.join();
      assertEquals(expected, a.getFloat(0));
      assertEquals(expected, b.getFloat(0));
    }
  }

  @Test
  void oneRankNeedsNoNetwork() throws Exception {
    RingOptions options = RingOptions.of("test");
    ServerSocketChannel listener = RingAllReduce.listen("127.0.0.1", options);
    try (AllReduce single = AllReduce.open(listener, 0, List.of(RingAllReduce.address(listener)), options)) {
      assertInstanceOf(LocalAllReduce.class, single);
      ByteBuffer data = LoopbackRing.contribution(0, 17, 1);
      ByteBuffer before = copy(data);
      single.averageInPlace(data);
      single.barrier();
      assertEquals(before, data);
    }
    assertTrue(!listener.isOpen());
  }

  @Test
  void rejectsBuffersItCannotReduceInPlace() {
    AllReduce local = new LocalAllReduce();
    ByteBuffer bigEndian = ByteBuffer.allocateDirect(8);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> local.sumInPlace(bigEndian)).getMessage()
        .contains("little-endian"));
    ByteBuffer ragged = ByteBuffer.allocateDirect(6).order(ByteOrder.LITTLE_ENDIAN);
    assertThrows(IllegalArgumentException.class, () -> local.sumInPlace(ragged));
    ByteBuffer readOnly = AllReduce.allocateFloats(2).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    assertThrows(IllegalArgumentException.class, () -> local.sumInPlace(readOnly));
  }

  private static void assertSumsCorrectly(LoopbackRing ring, int floats, int bucketFloats, long seed) {
    int worldSize = ring.ranks.size();
    List<ByteBuffer> inputs = inputs(worldSize, floats, seed);
    List<ByteBuffer> results = ring.onEveryRank((rank, r) -> {
      ByteBuffer data = copy(inputs.get(rank));
      r.sumInPlace(data);
      return data;
    });
    float[] expected = ringOrderSum(inputs, bucketFloats);
    ByteBuffer result = results.get(0);
    for (int i = 0; i < floats; i++) {
      double exact = 0;
      double magnitude = 0;
      for (ByteBuffer input : inputs) {
        exact += input.getFloat(i * Float.BYTES);
        magnitude += Math.abs(input.getFloat(i * Float.BYTES));
      }
      float got = result.getFloat(i * Float.BYTES);
      if (got != expected[i] || Math.abs(got - exact) > 1e-6 * magnitude) {
        throw new AssertionError(worldSize + " ranks, " + floats + " floats: float " + i + " is " + got
            + ", schedule order gives " + expected[i] + ", exact sum " + exact);
      }
    }
    assertBitIdentical(results);
  }

  /** Sums each float in the order the ring's schedule documents: chunk c starts at rank c and goes round. */
  private static float[] ringOrderSum(List<ByteBuffer> inputs, int bucketFloats) {
    int worldSize = inputs.size();
    int floats = inputs.get(0).capacity() / Float.BYTES;
    RingSchedule schedule = new RingSchedule(worldSize, 0);
    float[] sum = new float[floats];
    for (int bucket = 0; bucket < floats; bucket += bucketFloats) {
      int length = Math.min(bucketFloats, floats - bucket);
      for (int c = 0; c < worldSize; c++) {
        long offset = schedule.chunkOffset(length, c);
        for (long i = bucket + offset; i < bucket + offset + schedule.chunkLength(length, c); i++) {
          float s = inputs.get(c).getFloat((int) i * Float.BYTES);
          for (int k = 1; k < worldSize; k++) {
            s += inputs.get((c + k) % worldSize).getFloat((int) i * Float.BYTES);
          }
          sum[(int) i] = s;
        }
      }
    }
    return sum;
  }

  private static void assertBitIdentical(List<ByteBuffer> results) {
    for (int r = 1; r < results.size(); r++) {
      assertEquals(-1, results.get(0).mismatch(results.get(r)), "rank " + r + " differs from rank 0 at byte");
    }
  }

  private static List<ByteBuffer> inputs(int worldSize, int floats, long seed) {
    List<ByteBuffer> inputs = new ArrayList<>();
    for (int r = 0; r < worldSize; r++) {
      inputs.add(LoopbackRing.contribution(r, floats, seed));
    }
    return inputs;
  }

  private static ByteBuffer copy(ByteBuffer source) {
    ByteBuffer copy = AllReduce.allocateFloats(source.capacity() / Float.BYTES);
    copy.put(source.duplicate().clear()).clear();
    return copy;
  }

  private static AllReduceException failure(CompletableFuture<?> call) {
    CompletionException e = assertThrows(CompletionException.class, call::join);
    return assertInstanceOf(AllReduceException.class, e.getCause());
  }
}
