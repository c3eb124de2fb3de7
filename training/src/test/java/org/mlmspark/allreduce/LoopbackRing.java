package org.mlmspark.allreduce;

import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Ranks of one ring as threads of the test JVM, on 127.0.0.1. */
final class LoopbackRing implements AutoCloseable {
  interface RankTask<T> {
    T run(int rank, AllReduce ring) throws Exception;
  }

  private static final float[] SCALES = {1e-3f, 1e-2f, 1e-1f, 1f, 1e1f, 1e2f, 1e3f};

  private final ExecutorService threads;
  final List<AllReduce> ranks;

  private LoopbackRing(ExecutorService threads, List<AllReduce> ranks) {
    this.threads = threads;
    this.ranks = ranks;
  }

  static LoopbackRing start(int worldSize, RingOptions options) {
    List<ServerSocketChannel> listeners = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (int r = 0; r < worldSize; r++) {
      listeners.add(RingAllReduce.listen("127.0.0.1", options));
      peers.add(RingAllReduce.address(listeners.get(r)));
    }
    ExecutorService threads = Executors.newFixedThreadPool(worldSize);
    List<CompletableFuture<AllReduce>> opening = new ArrayList<>();
    for (int r = 0; r < worldSize; r++) {
      int rank = r;
      opening.add(CompletableFuture.supplyAsync(
          () -> AllReduce.open(listeners.get(rank), rank, peers, options), threads));
    }
    return new LoopbackRing(threads, opening.stream().map(CompletableFuture::join).toList());
  }

  /** Starts {@code task} on every rank at once, each in its own thread. */
  <T> List<CompletableFuture<T>> submit(RankTask<T> task) {
    List<CompletableFuture<T>> results = new ArrayList<>();
    for (int r = 0; r < ranks.size(); r++) {
      int rank = r;
      results.add(CompletableFuture.supplyAsync(() -> {
        try {
          return task.run(rank, ranks.get(rank));
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, threads));
    }
    return results;
  }

  /** Runs {@code task} on every rank at once and waits for all results. */
  <T> List<T> onEveryRank(RankTask<T> task) {
    return submit(task).stream().map(CompletableFuture::join).toList();
  }

  /** Reproducible test data: rank {@code rank}'s contribution, with magnitudes that make rounding matter. */
  static ByteBuffer contribution(int rank, int floats, long seed) {
    ByteBuffer buffer = AllReduce.allocateFloats(floats);
    SplittableRandom random = new SplittableRandom(seed * 7919 + rank);
    for (int i = 0; i < floats; i++) {
      buffer.putFloat(i * Float.BYTES, (float) random.nextGaussian() * SCALES[random.nextInt(SCALES.length)]);
    }
    return buffer;
  }

  @Override
  public void close() {
    ranks.forEach(AllReduce::close);
    threads.shutdownNow();
  }
}
