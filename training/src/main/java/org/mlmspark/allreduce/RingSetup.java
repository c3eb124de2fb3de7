package org.mlmspark.allreduce;

import static org.mlmspark.allreduce.RingLinks.closeQuietly;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Forms a rank's place in the ring: connects to the right neighbour, accepts the left one, and checks both
 * handshakes, all within one deadline.
 *
 * <p>Order matters to avoid a cycle of waits: every rank first connects and sends its hello (needs only the
 * neighbour's listener, bound before addresses were exchanged), then in one selector loop accepts from the left
 * (answering its hello) and reads the right neighbour's answer. Connections from anyone else, e.g. a stale rank
 * of an earlier attempt, are refused with the reason and the wait goes on.
 */
public final class RingSetup {
  private static final long RETRY_MILLIS = 50;

  private final RingSchedule ring;
  private final Peer left;
  private final Peer right;
  private final RingOptions options;
  private final long deadline;
  private final List<String> refused = new ArrayList<>();

  private RingSetup(RingSchedule ring, List<Peer> peers, RingOptions options) {
    this.ring = ring;
    this.left = peers.get(ring.left());
    this.right = peers.get(ring.right());
    this.options = options;
    this.deadline = System.nanoTime() + options.timeout().toNanos();
  }

  /** Binds a listener whose accepted connections get the ring's receive buffer size (set before bind, for TCP window scaling). */
  public static ServerSocketChannel listen(String host, RingOptions options) throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open();
    try {
      if (options.socketBufferBytes() > 0) {
        listener.setOption(StandardSocketOptions.SO_RCVBUF, options.socketBufferBytes());
      }
      listener.bind(new InetSocketAddress(host, 0));
      return listener;
    } catch (IOException e) {
      listener.close();
      throw e;
    }
  }

  /** Takes ownership of {@code listener}: it is closed once the ring is formed or has failed. */
  static RingLinks connect(ServerSocketChannel listener, RingSchedule ring, List<Peer> peers, RingOptions options) {
    return new RingSetup(ring, peers, options).run(listener);
  }

  private RingLinks run(ServerSocketChannel listener) {
    SocketChannel toRight = null;
    SocketChannel fromLeft = null;
    List<SocketChannel> candidates = new ArrayList<>();
    try (listener; Selector selector = Selector.open()) {
      toRight = connectRight();
      try {
        toRight.write(hello(right).frame()); // blocking, tiny: fits the fresh socket's buffer
      } catch (IOException e) {
        throw rightFailed(e);
      }
      toRight.configureBlocking(false);
      toRight.register(selector, SelectionKey.OP_READ, new FrameReader());
      listener.configureBlocking(false);
      listener.register(selector, SelectionKey.OP_ACCEPT);
      boolean rightAgreed = false;
      while (fromLeft == null || !rightAgreed) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
          throw timedOut(fromLeft == null, !rightAgreed);
        }
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isAcceptable()) {
            SocketChannel candidate = listener.accept();
            if (candidate != null) {
              candidates.add(candidate);
              configure(candidate, options);
              candidate.configureBlocking(false);
              candidate.register(selector, SelectionKey.OP_READ, new FrameReader());
            }
          } else if (key.channel() == toRight) {
            rightAgreed = readAnswerOfRight(key);
          } else if (fromLeft == null) {
            fromLeft = admitLeft(key);
          } else {
            refuse(key, "this rank's left neighbour is already connected");
          }
        }
        selector.selectedKeys().clear();
      }
      candidates.remove(fromLeft);
      candidates.forEach(RingLinks::closeQuietly);
      return new RingLinks(left, fromLeft, right, toRight, options.timeout());
    } catch (IOException | RuntimeException e) {
      closeQuietly(toRight);
      candidates.forEach(RingLinks::closeQuietly);
      if (e instanceof AllReduceException ae) {
        throw ae;
      }
      throw new AllReduceException("ring set-up of rank " + ring.rank() + " failed: " + e, e);
    }
  }

  private SocketChannel connectRight() throws IOException {
    while (true) {
      SocketChannel channel = SocketChannel.open();
      try {
        configure(channel, options);
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        channel.socket().connect(right.address(), (int) Math.max(1, Math.min(Integer.MAX_VALUE, remainingMillis)));
        return channel;
      } catch (IOException e) {
        channel.close();
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS) >= deadline) {
          String what = "could not connect to " + right + " within " + options.timeout().toMillis() + " ms";
          throw new AllReduceException("ring set-up of rank " + ring.rank() + ": " + what + " (" + e + ")",
              new TimeoutException(what));
        }
        sleepBeforeRetry();
      }
    }
  }

  private boolean readAnswerOfRight(SelectionKey key) {
    byte[] body;
    try {
      body = ((FrameReader) key.attachment()).readFrom((SocketChannel) key.channel());
    } catch (IOException e) {
      throw rightFailed(e);
    }
    if (body == null) {
      return false;
    }
    Hello answer = Hello.parse(body, right.toString());
    Optional<String> disagreement = answer.disagreement(expectedFrom(right));
    if (disagreement.isPresent()) {
      throw new AllReduceException("ring set-up of rank " + ring.rank() + ": " + right + " answered as another ring: "
          + disagreement.get());
    }
    key.cancel();
    return true;
  }

  /** Returns the left neighbour's channel once its hello checks out, or null while incomplete or refused. */
  private SocketChannel admitLeft(SelectionKey key) throws IOException {
    SocketChannel candidate = (SocketChannel) key.channel();
    String from = "connection from " + candidate.getRemoteAddress();
    byte[] body;
    try {
      body = ((FrameReader) key.attachment()).readFrom(candidate);
    } catch (IOException e) {
      drop(key, from + ": " + e.getMessage());
      return null;
    }
    if (body == null) {
      return null;
    }
    Optional<String> disagreement;
    try {
      disagreement = Hello.parse(body, from).disagreement(expectedFrom(left));
    } catch (AllReduceException e) {
      disagreement = Optional.of(e.getMessage());
    }
    if (disagreement.isPresent()) {
      refuse(key, disagreement.get());
      return null;
    }
    key.cancel();
    try {
      writeSmall(candidate, hello(left).frame());
    } catch (IOException e) {
      drop(key, from + ": answering its handshake failed: " + e.getMessage());
      return null;
    }
    return candidate;
  }

  private void refuse(SelectionKey key, String reason) throws IOException {
    SocketChannel candidate = (SocketChannel) key.channel();
    String from = "connection from " + candidate.getRemoteAddress();
    try {
      writeSmall(candidate, Hello.rejectFrame("rank " + ring.rank() + " expects " + left + ": " + reason));
    } catch (IOException e) {
      // The refused peer may be gone already; refusing it is all we wanted.
    }
    drop(key, from + ": " + reason);
  }

  private void drop(SelectionKey key, String why) {
    refused.add(why);
    key.cancel();
    closeQuietly(key.channel());
  }

  /** Writes a handshake frame to a non-blocking channel; it fits an empty socket buffer, so this hardly loops. */
  private void writeSmall(SocketChannel channel, ByteBuffer frame) throws IOException {
    while (frame.hasRemaining()) {
      if (channel.write(frame) == 0) {
        if (System.nanoTime() >= deadline) {
          throw new IOException("peer does not read its handshake");
        }
        sleepBeforeRetry();
      }
    }
  }

  private AllReduceException rightFailed(IOException e) {
    return new AllReduceException(
        "ring set-up of rank " + ring.rank() + ": handshake with " + right + " failed: " + e.getMessage(), e);
  }

  private AllReduceException timedOut(boolean leftMissing, boolean rightMissing) {
    List<String> missing = new ArrayList<>();
    if (leftMissing) {
      missing.add(left + " did not connect");
    }
    if (rightMissing) {
      missing.add(right + " did not answer the handshake");
    }
    String what = String.join(" and ", missing) + " within " + options.timeout().toMillis() + " ms";
    String detail = refused.isEmpty() ? "" : "; refused: " + String.join("; ", refused);
    return new AllReduceException("ring set-up of rank " + ring.rank() + ": " + what + detail,
        new TimeoutException(what));
  }

  private Hello hello(Peer to) {
    return new Hello(options.jobId(), ring.worldSize(), options.bucketFloats(), ring.rank(), to.rank());
  }

  private Hello expectedFrom(Peer from) {
    return new Hello(options.jobId(), ring.worldSize(), options.bucketFloats(), from.rank(), ring.rank());
  }

  /** Low latency for small chunks and headers; large buffers so a chunk streams without stalls. */
  public static void configure(SocketChannel channel, RingOptions options) throws IOException {
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    if (options.socketBufferBytes() > 0) {
      channel.setOption(StandardSocketOptions.SO_SNDBUF, options.socketBufferBytes());
      channel.setOption(StandardSocketOptions.SO_RCVBUF, options.socketBufferBytes());
    }
  }

  private static void sleepBeforeRetry() {
    try {
      Thread.sleep(RETRY_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AllReduceException("ring set-up interrupted", e);
    }
  }
}
