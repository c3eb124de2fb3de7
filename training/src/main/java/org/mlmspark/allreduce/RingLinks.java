package org.mlmspark.allreduce;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A rank's two ring connections: one from its left neighbour (only read) and one to its right neighbour (only
 * written). One thread drives both through a selector, so a step sends and receives at once and large chunks
 * cannot deadlock on full socket buffers.
 */
final class RingLinks implements Closeable {
  private final Peer left;
  private final Peer right;
  private final SocketChannel fromLeft;
  private final SocketChannel toRight;
  private final Selector selector;
  private final SelectionKey leftKey;
  private final SelectionKey rightKey;
  private final Duration timeout;
  private final ByteBuffer probe = ByteBuffer.allocate(1);
  private volatile boolean closed;

  RingLinks(Peer left, SocketChannel fromLeft, Peer right, SocketChannel toRight, Duration timeout)
      throws IOException {
    this.left = left;
    this.right = right;
    this.fromLeft = fromLeft;
    this.toRight = toRight;
    this.timeout = timeout;
    this.selector = Selector.open();
    fromLeft.configureBlocking(false);
    toRight.configureBlocking(false);
    leftKey = fromLeft.register(selector, 0);
    rightKey = toRight.register(selector, 0);
  }

  /**
   * Sends {@code out}'s remaining bytes to the right neighbour while filling {@code in} from the left one. Fails
   * when a neighbour closes, errs, or nothing moves for the timeout.
   *
   * @param step names the step in errors
   */
  void exchange(ByteBuffer out, ByteBuffer in, Supplier<String> step) {
    long idleNanos = timeout.toNanos();
    long deadline = System.nanoTime() + idleNanos;
    while (out.hasRemaining() || in.hasRemaining()) {
      if (closed) {
        throw new AllReduceException(step.get() + ": the all-reduce was closed");
      }
      boolean progress = (out.hasRemaining() && send(out, step) > 0) | (in.hasRemaining() && receive(in, step) > 0);
      if (progress) {
        deadline = System.nanoTime() + idleNanos;
        continue;
      }
      long wait = deadline - System.nanoTime();
      if (wait <= 0) {
        throw stalled(out, in, step);
      }
      awaitReady(out, in, wait, step);
    }
  }

  private void awaitReady(ByteBuffer out, ByteBuffer in, long waitNanos, Supplier<String> step) {
    try {
      // The right neighbour never writes to us: its connection becoming readable means it closed or reset.
      rightKey.interestOps(SelectionKey.OP_READ | (out.hasRemaining() ? SelectionKey.OP_WRITE : 0));
      leftKey.interestOps(in.hasRemaining() ? SelectionKey.OP_READ : 0);
      selector.select(Math.max(1, waitNanos / 1_000_000));
      if (selector.selectedKeys().remove(rightKey) && rightKey.isReadable()) {
        checkRightStillListening(step);
      }
      selector.selectedKeys().clear();
    } catch (IOException e) {
      throw failure(step, "waiting for the network failed: " + e.getMessage(), e);
    } catch (IllegalStateException e) { // the selector or a key, closed by close() from another thread
      throw new AllReduceException(step.get() + ": the all-reduce was closed", e);
    }
  }

  private int send(ByteBuffer out, Supplier<String> step) {
    try {
      return toRight.write(out);
    } catch (IOException e) {
      throw failure(step, "sending to " + right + " failed: " + e.getMessage(), e);
    }
  }

  private int receive(ByteBuffer in, Supplier<String> step) {
    int n;
    try {
      n = fromLeft.read(in);
    } catch (IOException e) {
      throw failure(step, "receiving from " + left + " failed: " + e.getMessage(), e);
    }
    if (n < 0) {
      throw failure(step, left + " closed the connection with " + in.remaining() + " bytes still due", null);
    }
    return n;
  }

  private void checkRightStillListening(Supplier<String> step) {
    int n;
    try {
      n = toRight.read(probe.clear());
    } catch (IOException e) {
      throw failure(step, "connection to " + right + " failed: " + e.getMessage(), e);
    }
    if (n < 0) {
      throw failure(step, right + " closed the connection", null);
    }
    if (n > 0) {
      throw failure(step, right + " sent data on a connection it should only read", null);
    }
  }

  private AllReduceException failure(Supplier<String> step, String what, IOException cause) {
    if (closed) {
      return new AllReduceException(step.get() + ": the all-reduce was closed", cause);
    }
    return new AllReduceException(step.get() + ": " + what, cause);
  }

  private AllReduceException stalled(ByteBuffer out, ByteBuffer in, Supplier<String> step) {
    StringBuilder what = new StringBuilder("no progress for ").append(timeout.toMillis()).append(" ms");
    if (in.hasRemaining()) {
      what.append("; waiting for ").append(in.remaining()).append(" bytes from ").append(left);
    }
    if (out.hasRemaining()) {
      what.append("; ").append(right).append(" is not taking ").append(out.remaining()).append(" more bytes");
    }
    return new AllReduceException(step.get() + ": " + what, new TimeoutException(what.toString()));
  }

  /** Closes both connections; an exchange running in another thread fails promptly. */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    closeQuietly(fromLeft);
    closeQuietly(toRight);
    closeQuietly(selector);
  }

  static void closeQuietly(Closeable closeable) {
    try {
      if (closeable != null) {
        closeable.close();
      }
    } catch (IOException ignored) {
      // Closing after a failure: the original error is what matters.
    }
  }
}
