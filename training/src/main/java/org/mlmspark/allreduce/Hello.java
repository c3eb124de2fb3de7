package org.mlmspark.allreduce;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The ring handshake: each end of a connection states who it is and what ring it believes it is in; the other
 * end checks every field, so ranks of a different job or attempt, or a miswired peer list, are refused.
 *
 * <p>Wire: a frame is a 4-byte length and a body; a body is {@code 'H'} and the fields, or {@code 'R'} and the
 * reason the receiver refused the sender's hello.
 *
 * @param rank the sender's rank
 * @param peerRank the rank the sender believes it is talking to
 */
record Hello(String jobId, int worldSize, int bucketFloats, int rank, int peerRank) {
  static final int MAX_FRAME_BYTES = 64 * 1024;
  private static final int MAGIC = 0x4D4C4D52; // "MLMR"
  private static final int VERSION = 1;
  private static final byte HELLO = 'H';
  private static final byte REJECT = 'R';

  ByteBuffer frame() {
    return frame(out -> {
      out.writeByte(HELLO);
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(jobId);
      out.writeInt(worldSize);
      out.writeInt(bucketFloats);
      out.writeInt(rank);
      out.writeInt(peerRank);
    });
  }

  static ByteBuffer rejectFrame(String reason) {
    return frame(out -> {
      out.writeByte(REJECT);
      out.writeUTF(reason);
    });
  }

  /**
   * Decodes a frame body.
   *
   * @param from names the sender in errors
   *
   * @throws AllReduceException if {@code from} refused us or did not speak this protocol
   */
  static Hello parse(byte[] body, String from) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      byte kind = in.readByte();
      if (kind == REJECT) {
        throw new AllReduceException("ring set-up: " + from + " refused this rank: " + in.readUTF());
      }
      if (kind != HELLO || in.readInt() != MAGIC) {
        throw new AllReduceException("ring set-up: " + from + " is not an all-reduce ring endpoint");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new AllReduceException(
            "ring set-up: " + from + " speaks protocol version " + version + ", this rank " + VERSION);
      }
      return new Hello(in.readUTF(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
    } catch (IOException e) {
      throw new AllReduceException("ring set-up: " + from + " sent a truncated handshake", e);
    }
  }

  /** Why this received hello does not match the one expected, or empty when it does. */
  Optional<String> disagreement(Hello expected) {
    if (!jobId.equals(expected.jobId)) {
      return Optional.of("job id '" + jobId + "' is not '" + expected.jobId + "' (stale peer of another attempt?)");
    }
    if (worldSize != expected.worldSize) {
      return Optional.of("world size " + worldSize + " is not " + expected.worldSize);
    }
    if (bucketFloats != expected.bucketFloats) {
      return Optional.of("bucket of " + bucketFloats + " floats is not " + expected.bucketFloats);
    }
    if (rank != expected.rank || peerRank != expected.peerRank) {
      return Optional.of("rank " + rank + " connecting to rank " + peerRank
          + " is not the expected rank " + expected.rank + " connecting to rank " + expected.peerRank);
    }
    return Optional.empty();
  }

  private interface Body {
    void writeTo(DataOutputStream out) throws IOException;
  }

  private static ByteBuffer frame(Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(0);
      body.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteBuffer frame = ByteBuffer.wrap(bytes.toByteArray());
    frame.putInt(0, frame.capacity() - Integer.BYTES);
    return frame;
  }
}
