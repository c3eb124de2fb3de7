package org.mlmspark.allreduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.mlmspark.allreduce.RingSchedule.Phase;

/**
 * Ring all-reduce over TCP: reduce-scatter then all-gather, as {@link RingSchedule} lays out. Each rank sends
 * {@code 2(N-1)/N} of the buffer and receives as much, whatever the world size, so per-rank traffic stays flat as
 * ranks are added.
 *
 * <p>Buffers larger than {@link RingOptions#bucketFloats()} run as a sequence of buckets, each a full ring pass,
 * which bounds the chunk of each step. Sends go straight from the caller's buffer and all-gather receives
 * straight into it; only reduce-scatter receives pass through a small staging buffer, to be added. Collectives
 * run on one communication thread in submission order.
 *
 * <p>Typical use between Spark barrier tasks:
 *
 * <pre>{@code
 * ServerSocketChannel listener = RingAllReduce.listen(host, options);
 * String[] peers = barrierContext.allGather(RingAllReduce.address(listener));
 * try (AllReduce ring = AllReduce.open(listener, barrierContext.partitionId(), List.of(peers), options)) {
 *   ring.averageInPlace(gradients);
 * }
 * }</pre>
 */
public final class RingAllReduce implements AllReduce {
  private enum Op {
    SUM("sum"),
    AVERAGE("average"),
    BARRIER("barrier");

    private final String label;

    Op(String label) {
      this.label = label;
    }
  }

  /** Sequence number, operation and float count: checked against the left neighbour before every collective. */
  private static final int HEADER_BYTES = Long.BYTES + 2 * Integer.BYTES;

  /** Reduce-scatter granularity: small enough to stay in cache for the addition, large against per-call costs. */
  private static final int SEGMENT_BYTES = 1 << 20;

  private final RingSchedule ring;
  private final int bucketFloats;
  private final RingLinks links;
  private final ExecutorService comm;
  private final ByteBuffer staging;
  private final ByteBuffer headerOut = ByteBuffer.allocateDirect(HEADER_BYTES);
  private final ByteBuffer headerIn = ByteBuffer.allocateDirect(HEADER_BYTES);
  private long sequence; // confined to the communication thread
  private volatile AllReduceException failure;

  private RingAllReduce(RingSchedule ring, RingOptions options, RingLinks links) {
    this.ring = ring;
    this.bucketFloats = options.bucketFloats();
    this.links = links;
    this.staging = ByteBuffer.allocateDirect(SEGMENT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    this.comm = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "all-reduce-rank-" + ring.rank());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Binds the listener this rank's left neighbour will connect to, on an ephemeral port of {@code host}. Publish
   * {@link #address(ServerSocketChannel)} to the other ranks, then call {@link #open}.
   */
  public static ServerSocketChannel listen(String host, RingOptions options) {
    try {
      return RingSetup.listen(host, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for all-reduce peers on " + host, e);
    }
  }

  /** {@code host:port} of a listener, as the other ranks should dial it. */
  public static String address(ServerSocketChannel listener) {
    try {
      InetSocketAddress local = (InetSocketAddress) listener.getLocalAddress();
      String host = local.getAddress().getHostAddress();
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + local.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Joins the ring of {@code peers.size()} ranks: connects to the next rank, accepts the previous one on {@code
   * listener} and checks both agree on job id, world size, ranks and bucket size. Takes ownership of the listener.
   *
   * @param peers every rank's listener address ({@code host:port}), indexed by rank
   * @throws AllReduceException if the ring is not formed within the timeout or a neighbour disagrees
   */
  public static RingAllReduce open(ServerSocketChannel listener, int rank, List<String> peers, RingOptions options) {
    if (peers.size() < 2) {
      RingLinks.closeQuietly(listener);
      throw new IllegalArgumentException("a ring needs at least 2 ranks; use LocalAllReduce for one");
    }
    RingSchedule ring = new RingSchedule(peers.size(), rank);
    List<Peer> parsed = new ArrayList<>();
    for (int r = 0; r < peers.size(); r++) {
      parsed.add(Peer.parse(r, peers.get(r)));
    }
    return new RingAllReduce(ring, options, RingSetup.connect(listener, ring, parsed, options));
  }

  @Override
  public int rank() {
    return ring.rank();
  }

  @Override
  public int worldSize() {
    return ring.worldSize();
  }

  @Override
  public CompletableFuture<Void> sumAsync(ByteBuffer floats) {
    return submit(Op.SUM, FloatBuffers.view(floats));
  }

  @Override
  public CompletableFuture<Void> averageAsync(ByteBuffer floats) {
    return submit(Op.AVERAGE, FloatBuffers.view(floats));
  }

  /** An all-reduce in which every chunk is non-empty, so no rank can finish before all have started. */
  @Override
  public void barrier() {
    AllReduce.await(submit(Op.BARRIER, FloatBuffers.allocate(worldSize())));
  }

  private CompletableFuture<Void> submit(Op op, ByteBuffer data) {
    try {
      return CompletableFuture.runAsync(() -> run(op, data), comm);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new AllReduceException("the all-reduce of rank " + rank() + " is closed"));
    }
  }

  private void run(Op op, ByteBuffer data) {
    if (failure != null) {
      throw new AllReduceException("the all-reduce of rank " + rank() + " is closed after: " + failure.getMessage(),
          failure);
    }
    long seq = ++sequence;
    int floats = FloatBuffers.count(data);
    String collective = "rank " + rank() + ", collective #" + seq + " (" + op.label + " of " + floats + " floats)";
    try {
      agreeWithLeft(seq, op, floats, collective);
      int buckets = (int) ((floats + (long) bucketFloats - 1) / bucketFloats);
      for (int b = 0; b < buckets; b++) {
        int offset = b * bucketFloats;
        ByteBuffer bucket = FloatBuffers.slice(data, offset, Math.min(bucketFloats, floats - offset));
        String where = buckets == 1 ? collective : collective + ", bucket " + (b + 1) + "/" + buckets;
        reduceScatter(bucket, where);
        if (op == Op.AVERAGE) {
          FloatBuffers.divide(chunk(bucket, ring.ownedChunk()), worldSize());
        }
        allGather(bucket, where);
      }
    } catch (RuntimeException e) {
      AllReduceException failed = e instanceof AllReduceException ae ? ae : new AllReduceException(collective, e);
      failure = failed;
      links.close(); // neighbours see the connection drop at once instead of waiting for their timeout
      throw failed;
    }
  }

  /** Fails fast when ranks issue different collectives, which would otherwise mix unrelated data. */
  private void agreeWithLeft(long seq, Op op, int floats, String collective) {
    headerOut.clear().putLong(seq).putInt(op.ordinal()).putInt(floats).flip();
    headerIn.clear();
    links.exchange(headerOut, headerIn, () -> collective + ", header");
    headerIn.flip();
    long leftSeq = headerIn.getLong();
    int leftOp = headerIn.getInt();
    int leftFloats = headerIn.getInt();
    if (leftSeq != seq || leftOp != op.ordinal() || leftFloats != floats) {
      String theirs = leftOp >= 0 && leftOp < Op.values().length ? Op.values()[leftOp].label : "op " + leftOp;
      throw new AllReduceException(collective + ": rank " + ring.left() + " issued collective #" + leftSeq + " ("
          + theirs + " of " + leftFloats + " floats); every rank must issue the same collectives in the same order");
    }
  }

  /**
   * Each step moves its chunks in segments and adds a segment as soon as it has arrived, while the kernel
   * keeps the following bytes flowing, instead of idling the links during one long addition per chunk.
   */
  private void reduceScatter(ByteBuffer bucket, String where) {
    for (int step = 0; step < ring.steps(); step++) {
      ByteBuffer out = chunk(bucket, ring.sendChunk(Phase.REDUCE_SCATTER, step));
      ByteBuffer sum = chunk(bucket, ring.receiveChunk(Phase.REDUCE_SCATTER, step));
      Supplier<String> name = stepName(where, Phase.REDUCE_SCATTER, step);
      for (int at = 0; at < Math.max(out.capacity(), sum.capacity()); at += SEGMENT_BYTES) {
        int length = segmentLength(sum, at);
        ByteBuffer partialSum = staging.clear().limit(length);
        links.exchange(out.slice(Math.min(at, out.capacity()), segmentLength(out, at)), partialSum, name);
        FloatBuffers.addInto(sum.slice(at, length).order(ByteOrder.LITTLE_ENDIAN), partialSum.flip());
      }
    }
  }

  private static int segmentLength(ByteBuffer chunk, int at) {
    return Math.max(0, Math.min(SEGMENT_BYTES, chunk.capacity() - at));
  }

  private void allGather(ByteBuffer bucket, String where) {
    for (int step = 0; step < ring.steps(); step++) {
      links.exchange(chunk(bucket, ring.sendChunk(Phase.ALL_GATHER, step)),
          chunk(bucket, ring.receiveChunk(Phase.ALL_GATHER, step)), stepName(where, Phase.ALL_GATHER, step));
    }
  }

  private Supplier<String> stepName(String where, Phase phase, int step) {
    return () -> where + ", " + phase + " step " + (step + 1) + "/" + ring.steps();
  }

  private ByteBuffer chunk(ByteBuffer bucket, int chunk) {
    int floats = FloatBuffers.count(bucket);
    return FloatBuffers.slice(bucket, (int) ring.chunkOffset(floats, chunk), (int) ring.chunkLength(floats, chunk));
  }

  /** Closes the connections; collectives running or queued fail instead of waiting. */
  @Override
  public void close() {
    if (failure == null) {
      failure = new AllReduceException("close() was called");
    }
    links.close();
    comm.shutdown();
    try {
      comm.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
