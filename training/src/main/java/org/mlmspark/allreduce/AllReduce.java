package org.mlmspark.allreduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A fixed group of {@link #worldSize()} ranks that sum or average float buffers element-wise, in place.
 *
 * <p>A buffer is the floats between a {@link ByteBuffer}'s position and limit, little-endian: what DJL's
 * {@code NDArray.toByteBuffer()} returns and {@code NDArray.set(Buffer)} takes back, so gradients move without
 * conversion. Direct buffers avoid a copy inside the socket layer. Position and limit are left unchanged.
 *
 * <p>Every rank must issue the same collectives in the same order with the same lengths; implementations check
 * this and fail rather than mix data. Results are bit-identical on every rank. Every collective has a timeout: a
 * dead or silent peer becomes an {@link AllReduceException} naming the peer and step, never a hang.
 */
public interface AllReduce extends AutoCloseable {
  int rank();

  int worldSize();

  /**
   * Starts summing {@code floats} across ranks. Collectives run one at a time in submission order, so a trainer
   * can submit gradient buckets as they become ready and keep working; the buffer must not be touched until the
   * future completes. The future fails with {@link AllReduceException}.
   */
  CompletableFuture<Void> sumAsync(ByteBuffer floats);

  /** Like {@link #sumAsync} and then divides by {@link #worldSize()}: the data-parallel gradient average. */
  CompletableFuture<Void> averageAsync(ByteBuffer floats);

  default void sumInPlace(ByteBuffer floats) {
    await(sumAsync(floats));
  }

  default void averageInPlace(ByteBuffer floats) {
    await(averageAsync(floats));
  }

  /** Returns once every rank has called {@code barrier()} (after all collectives submitted before it). */
  void barrier();

  /** Releases connections; a collective still running fails. */
  @Override
  void close();

  /**
   * Joins {@code peers.size()} ranks: a {@link LocalAllReduce} for one, else a {@link RingAllReduce} (see there).
   * Takes ownership of {@code listener}.
   */
  static AllReduce open(ServerSocketChannel listener, int rank, List<String> peers, RingOptions options) {
    if (rank < 0 || rank >= peers.size()) {
      throw new IllegalArgumentException("rank " + rank + " is outside the " + peers.size() + " peers given");
    }
    if (peers.size() == 1) {
      try {
        listener.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new LocalAllReduce();
    }
    return RingAllReduce.open(listener, rank, peers, options);
  }

  /** A direct little-endian buffer of {@code count} zero floats, the cheapest kind to all-reduce. */
  static ByteBuffer allocateFloats(int count) {
    return FloatBuffers.allocate(count);
  }

  /** Waits for a collective, rethrowing its {@link AllReduceException} unwrapped. */
  static void await(CompletableFuture<Void> collective) {
    try {
      collective.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
