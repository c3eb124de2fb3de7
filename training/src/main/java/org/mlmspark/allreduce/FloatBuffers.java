package org.mlmspark.allreduce;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Views and arithmetic on byte buffers of little-endian floats, the wire format of the ring. */
final class FloatBuffers {
  private FloatBuffers() {}

  /** Allocates a direct little-endian buffer of {@code count} zeros. */
  static ByteBuffer allocate(int count) {
    return ByteBuffer.allocateDirect(Math.multiplyExact(count, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * The floats between {@code floats}' position and limit, as an independent view starting at index 0, so the
   * caller's position and limit stay untouched.
   */
  static ByteBuffer view(ByteBuffer floats) {
    if (floats.order() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalArgumentException(
          "all-reduce buffers must be little-endian (order(ByteOrder.LITTLE_ENDIAN)), as DJL's toByteBuffer() gives");
    }
    if (floats.isReadOnly()) {
      throw new IllegalArgumentException("all-reduce works in place and cannot use a read-only buffer");
    }
    if (floats.remaining() % Float.BYTES != 0) {
      throw new IllegalArgumentException(
          "all-reduce buffer holds " + floats.remaining() + " bytes, not a whole number of floats");
    }
    return floats.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  static int count(ByteBuffer floats) {
    return floats.remaining() / Float.BYTES;
  }

  /** Floats {@code [offset, offset + length)} of a view made by {@link #view}. */
  static ByteBuffer slice(ByteBuffer floats, int offset, int length) {
    return floats.slice(offset * Float.BYTES, length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** {@code dst[i] = dst[i] + src[i]} for every float of {@code src} (from its position). */
  static void addInto(ByteBuffer dst, ByteBuffer src) {
    FloatBuffer d = dst.asFloatBuffer();
    FloatBuffer s = src.asFloatBuffer();
    for (int i = 0, n = s.remaining(); i < n; i++) {
      d.put(i, d.get(i) + s.get(i));
    }
  }

  static void divide(ByteBuffer floats, float divisor) {
    FloatBuffer f = floats.asFloatBuffer();
    for (int i = 0, n = f.remaining(); i < n; i++) {
      f.put(i, f.get(i) / divisor);
    }
  }
}
