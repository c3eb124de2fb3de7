package org.mlmspark.allreduce;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** Accumulates one length-prefixed handshake frame from a non-blocking channel. */
final class FrameReader {
  private final ByteBuffer length = ByteBuffer.allocate(Integer.BYTES);
  private ByteBuffer body;

  /**
   * Reads what the channel has.
   *
   * @return the frame body once complete, else null
   * @throws EOFException if the channel closed before the frame was complete
   */
  byte[] readFrom(ReadableByteChannel channel) throws IOException {
    if (body == null) {
      if (channel.read(length) < 0) {
        throw new EOFException("connection closed during the handshake");
      }
      if (length.hasRemaining()) {
        return null;
      }
      int size = length.getInt(0);
      if (size <= 0 || size > Hello.MAX_FRAME_BYTES) {
        throw new IOException("handshake frame of " + size + " bytes: not an all-reduce ring endpoint");
      }
      body = ByteBuffer.allocate(size);
    }
    if (channel.read(body) < 0) {
      throw new EOFException("connection closed during the handshake");
    }
    return body.hasRemaining() ? null : body.array();
  }
}
