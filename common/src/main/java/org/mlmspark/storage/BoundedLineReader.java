package org.mlmspark.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a stream as bytes, as Hadoop's line reader splits them (a line ends at LF, CR or CR LF), holding
 * at most {@code maxLineBytes} of a line in memory: a longer line is read to its end but only its first
 * {@link #KEPT_OF_LONG_LINE} bytes are kept, with its length, so one huge line cannot exhaust the heap.
 */
public final class BoundedLineReader implements Closeable {
  /** How much of an over-long line is kept (for the reject report). */
  public static final int KEPT_OF_LONG_LINE = 1024;

  /**
   * @param offset where the line starts in the (uncompressed) stream
   * @param bytes the line without its terminator, or its first {@link #KEPT_OF_LONG_LINE} bytes when too long
   * @param length the line's length in bytes
   */
  public record Line(long offset, byte[] bytes, long length) {
    public boolean tooLong() {
      return length > bytes.length;
    }
  }

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[1 << 16];
  private int bufferStart;
  private int bufferEnd;
  private long position;
  private byte[] line = new byte[256];

  /** @param position the stream's offset in its file, so lines report where they start */
  public BoundedLineReader(InputStream in, long position, int maxLineBytes) {
    this.in = in;
    this.position = position;
    this.maxLineBytes = maxLineBytes;
  }

  /** The offset of the next byte to be read. */
  public long position() {
    return position;
  }

  /** Skips through the next line terminator: a split that starts mid-file leaves its first line to the previous. */
  public void skipLine() throws IOException {
    read(false);
  }

  /** The next line, or null at the end of the stream. */
  public Line next() throws IOException {
    return read(true);
  }

  private Line read(boolean keep) throws IOException {
    long start = position;
    long length = 0;
    int kept = 0;
    boolean any = false;
    while (true) {
      if (bufferStart == bufferEnd && !fill()) {
        return any && keep ? line(start, kept, length) : null;
      }
      any = true;
      byte b = buffer[bufferStart++];
      position++;
      if (b == '\n') {
        return keep ? line(start, kept, length) : null;
      }
      if (b == '\r') {
        if ((bufferStart < bufferEnd || fill()) && buffer[bufferStart] == '\n') {
          bufferStart++;
          position++;
        }
        return keep ? line(start, kept, length) : null;
      }
      length++;
      if (keep && length <= maxLineBytes) {
        if (kept == line.length) {
          line = Arrays.copyOf(line, (int) Math.min((long) line.length * 2, maxLineBytes));
        }
        line[kept++] = b;
      }
    }
  }

  private Line line(long start, int kept, long length) {
    int size = length > maxLineBytes ? Math.min(kept, KEPT_OF_LONG_LINE) : kept;
    return new Line(start, Arrays.copyOf(line, size), length);
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer);
    if (n <= 0) {
      bufferStart = bufferEnd = 0;
      return false;
    }
    bufferStart = 0;
    bufferEnd = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
