package org.mlmspark.benchmarks.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mlmspark.allreduce.AllReduce;
import org.mlmspark.allreduce.RingAllReduce;
import org.mlmspark.allreduce.RingOptions;
import org.mlmspark.allreduce.RingSetup;
import org.mlmspark.benchmarks.Median;
import org.mlmspark.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/benchmark-allreduce}: ring all-reduce on loopback, ranks as threads of this JVM, against a plain
 * socket copy of the same bytes measured in the same run.
 */
@Command(name = "benchmark-allreduce", mixinStandardHelpOptions = true, sortOptions = false,
    description = "All-reduce bandwidth on loopback (ranks as threads) against a plain socket copy of the same bytes.")
public final class AllReduceBenchmark implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--floats", defaultValue = "82000000",
      description = "Floats per buffer (default: ${DEFAULT-VALUE}, a distilroberta-base gradient, 330 MB).")
  private int floats;

  @Option(names = "--ranks", split = ",", defaultValue = "2,3,4",
      description = "World sizes to measure (default: ${DEFAULT-VALUE}).")
  private List<Integer> worldSizes;

  @Option(names = "--iterations", defaultValue = "3",
      description = "Timed repetitions after one warm-up; the median is reported (default: ${DEFAULT-VALUE}).")
  private int iterations;

  @Option(names = "--bucket-mb", defaultValue = "25", description = "Bucket size in MiB (default: ${DEFAULT-VALUE}).")
  private int bucketMb;

  @Option(names = "--socket-buffer-kb", defaultValue = "4096",
      description = "SO_SNDBUF/SO_RCVBUF in KiB, 0 for the OS's autotuning (default: ${DEFAULT-VALUE}).")
  private int socketBufferKb;

  public static void main(String[] args) {
    Cli.exit(new AllReduceBenchmark(), args);
  }

  @Override
  public Integer call() {
    validate();
    try {
      measure();
      return 0;
    } catch (OutOfMemoryError e) {
      System.err.printf(Locale.ROOT, "error: not enough memory for %d ranks x 2 buffers of %,d floats (%s); lower "
          + "--floats or --ranks, or raise MLM_DRIVER_MEMORY%n", worldSizes.stream().max(Integer::compare).orElse(2),
          floats, e.getMessage());
      return 1;
    }
  }

  private void measure() {
    RingOptions options = RingOptions.of("benchmark").withTimeout(Duration.ofMinutes(2))
        .withBucketFloats(Math.min(RingOptions.MAX_BUCKET_FLOATS, bucketMb * (1024 * 1024 / Float.BYTES)))
        .withSocketBufferBytes(socketBufferKb * 1024);
    long bytes = (long) floats * Float.BYTES;
    System.out.printf(Locale.ROOT, "all-reduce (sum) of %,d floats = %.1f MB on 127.0.0.1, %d MiB buckets, "
            + "socket buffers %s, %d cores, median of %d after 1 warm-up%n", floats, bytes / 1e6, bucketMb,
        socketBufferKb == 0 ? "OS-tuned" : socketBufferKb + " KiB", Runtime.getRuntime().availableProcessors(),
        iterations);

    double copy = Median.of(socketCopySeconds(options));
    System.out.printf(Locale.ROOT, "baseline: plain socket copy of the same %.1f MB: %.3f s, %.2f GB/s%n",
        bytes / 1e6, copy, bytes / copy / 1e9);
    System.out.printf(Locale.ROOT, "%5s %8s %11s %11s %14s %10s %17s  %s%n", "ranks", "time s", "algbw GB/s",
        "busbw GB/s", "busbw/copy bw", "time/copy", "all links/copy bw", "bit-identical");
    for (int worldSize : worldSizes) {
      Result result = allReduce(worldSize, options);
      double time = Median.of(result.seconds);
      double algbw = bytes / time / 1e9;
      double busbw = algbw * 2.0 * (worldSize - 1) / worldSize;
      double copyBandwidth = bytes / copy / 1e9;
      System.out.printf(Locale.ROOT, "%5d %8.3f %11.2f %11.2f %14.2f %10.2f %17.2f  %s%n", worldSize, time, algbw,
          busbw, busbw / copyBandwidth, time / copy, worldSize * busbw / copyBandwidth,
          result.identical ? "yes" : "NO");
    }
    System.out.print("""
        algbw = size / time. busbw = 2(N-1)/N x size / time: what each rank sends (and receives) per second. On a
        network each rank has its own link, and busbw/copy bw near 1 would mean the ring runs at link speed. Here
        all ranks share this machine's cores: together the N links move N x busbw, and 'all links/copy bw' near 1
        means the ring moves bytes as fast as one plain socket copy does on the same cores.
        """);
  }

  private void validate() {
    if (floats < 1 || (long) floats * Float.BYTES > Integer.MAX_VALUE) {
      throw new ParameterException(spec.commandLine(), "--floats must be 1.." + Integer.MAX_VALUE / Float.BYTES);
    }
    if (worldSizes.isEmpty() || worldSizes.stream().anyMatch(n -> n < 2 || n > 64)) {
      throw new ParameterException(spec.commandLine(), "--ranks must list world sizes 2..64");
    }
    if (iterations < 1 || bucketMb < 1 || socketBufferKb < 0) {
      throw new ParameterException(spec.commandLine(),
          "--iterations and --bucket-mb must be positive, --socket-buffer-kb not negative");
    }
  }

  private record Result(double[] seconds, boolean identical) {}

  private Result allReduce(int worldSize, RingOptions options) {
    ExecutorService threads = Executors.newFixedThreadPool(worldSize);
    List<ServerSocketChannel> listeners = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (int r = 0; r < worldSize; r++) {
      listeners.add(RingAllReduce.listen("127.0.0.1", options));
      peers.add(RingAllReduce.address(listeners.get(r)));
    }
    List<CompletableFuture<AllReduce>> opening = new ArrayList<>();
    for (int r = 0; r < worldSize; r++) {
      int rank = r;
      opening.add(CompletableFuture.supplyAsync(
          () -> AllReduce.open(listeners.get(rank), rank, peers, options), threads));
    }
    List<AllReduce> ranks = opening.stream().map(CompletableFuture::join).toList();
    List<ByteBuffer> inputs = new ArrayList<>();
    List<ByteBuffer> buffers = new ArrayList<>();
    for (int r = 0; r < worldSize; r++) {
      inputs.add(pattern(r));
      buffers.add(AllReduce.allocateFloats(floats));
    }
    try {
      double[] seconds = new double[iterations];
      for (int i = -1; i < iterations; i++) {
        List<CompletableFuture<Double>> timings = new ArrayList<>();
        for (int r = 0; r < worldSize; r++) {
          int rank = r;
          timings.add(CompletableFuture.supplyAsync(() -> {
            buffers.get(rank).clear().put(inputs.get(rank).duplicate()).clear();
            AllReduce ring = ranks.get(rank);
            ring.barrier();
            long start = System.nanoTime();
            ring.sumInPlace(buffers.get(rank));
            return (System.nanoTime() - start) / 1e9;
          }, threads));
        }
        double slowest = timings.stream().mapToDouble(CompletableFuture::join).max().orElseThrow();
        if (i >= 0) {
          seconds[i] = slowest;
        }
      }
      boolean identical = buffers.stream().allMatch(b -> b.mismatch(buffers.get(0)) == -1);
      return new Result(seconds, identical);
    } finally {
      ranks.forEach(AllReduce::close);
      threads.shutdownNow();
    }
  }

  /** Ordinary-magnitude floats (no denormals, which would slow the additions), different on every rank. */
  private ByteBuffer pattern(int rank) {
    ByteBuffer buffer = AllReduce.allocateFloats(floats);
    for (int i = 0; i < floats; i++) {
      buffer.putFloat(i * Float.BYTES, 1f + rank + (i % 1000) * 1e-3f);
    }
    return buffer;
  }

  /** One connection, one writer thread, one reader: the same bytes the all-reduce moves, sent once. */
  private double[] socketCopySeconds(RingOptions options) {
    ByteBuffer source = pattern(0);
    ByteBuffer target = AllReduce.allocateFloats(floats);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (ServerSocketChannel listener = RingSetup.listen("127.0.0.1", options);
        SocketChannel out = SocketChannel.open()) {
      RingSetup.configure(out, options);
      out.connect(listener.getLocalAddress());
      try (SocketChannel in = listener.accept()) {
        RingSetup.configure(in, options);
        double[] seconds = new double[iterations];
        for (int i = -1; i < iterations; i++) {
          source.clear();
          target.clear();
          long start = System.nanoTime();
          CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> writeFully(out, source), writer);
          while (target.hasRemaining()) {
            in.read(target);
          }
          sent.join();
          if (i >= 0) {
            seconds[i] = (System.nanoTime() - start) / 1e9;
          }
        }
        return seconds;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("socket copy baseline failed", e);
    } finally {
      writer.shutdownNow();
    }
  }

  private static void writeFully(SocketChannel out, ByteBuffer data) {
    try {
      while (data.hasRemaining()) {
        out.write(data);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
