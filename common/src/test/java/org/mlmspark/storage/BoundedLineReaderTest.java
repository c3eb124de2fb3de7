package org.mlmspark.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {
  /** A stream that hands out one byte per read, so every terminator falls on a buffer boundary. */
  private static InputStream trickle(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }

  private static List<String> lines(InputStream in, int max) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BoundedLineReader reader = new BoundedLineReader(in, 0, max)) {
      for (BoundedLineReader.Line line; (line = reader.next()) != null; ) {
        lines.add(line.offset() + ":" + new String(line.bytes(), StandardCharsets.UTF_8) + ":" + line.length());
      }
    }
    return lines;
  }

  @Test
  void linesEndAtLfCrOrCrLfAsInHadoop() throws IOException {
    byte[] text = "a\nbb\r\nccc\rd\n\nlast".getBytes(StandardCharsets.UTF_8);
    List<String> expected = List.of("0:a:1", "2:bb:2", "6:ccc:3", "10:d:1", "12::0", "13:last:4");
    assertEquals(expected, lines(new ByteArrayInputStream(text), 100));
    assertEquals(expected, lines(trickle(text), 100));
  }

  @Test
  void aLongerLineIsReadToItsEndButOnlyItsStartIsKept() throws IOException {
    byte[] text = ("{\"x\": \"" + "y".repeat(5000) + "\"}\nnext\n").getBytes(StandardCharsets.UTF_8);
    try (BoundedLineReader reader = new BoundedLineReader(trickle(text), 0, 2000)) {
      BoundedLineReader.Line long_ = reader.next();
      assertTrue(long_.tooLong());
      assertEquals(5009, long_.length());
      assertEquals(BoundedLineReader.KEPT_OF_LONG_LINE, long_.bytes().length);
      assertArrayEquals("{\"x\": \"yyy".getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOf(long_.bytes(), 10));
      BoundedLineReader.Line next = reader.next();
      assertFalse(next.tooLong());
      assertEquals("next", new String(next.bytes(), StandardCharsets.UTF_8));
      assertEquals(5010, next.offset());
      assertNull(reader.next());
    }
    assertEquals(List.of("0:abcd:4"), lines(new ByteArrayInputStream("abcd".getBytes(StandardCharsets.UTF_8)), 4),
        "a line of exactly the limit is whole");
  }

  @Test
  void aSplitStartingMidLineSkipsToTheNextLine() throws IOException {
    byte[] text = "first line\r\nsecond\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayInputStream in = new ByteArrayInputStream(text, 3, text.length - 3);
    try (BoundedLineReader reader = new BoundedLineReader(in, 3, 100)) {
      reader.skipLine();
      assertEquals(12, reader.position());
      BoundedLineReader.Line line = reader.next();
      assertEquals("second", new String(line.bytes(), StandardCharsets.UTF_8));
      assertEquals(12, line.offset());
    }
  }
}
