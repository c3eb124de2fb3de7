package org.mlmspark.allreduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HelloTest {
  private final Hello expected = new Hello("app-7/stage-3/attempt-1", 4, 1024, 2, 3);

  @Test
  void frameRoundTripsThroughTheFrameReader() throws IOException {
    assertEquals(expected, Hello.parse(readFrame(expected.frame()), "test"));
    assertEquals(Optional.empty(), expected.disagreement(expected));
  }

  @Test
  void namesEveryFieldThatDisagrees() {
    assertTrue(new Hello("app-7/stage-3/attempt-0", 4, 1024, 2, 3).disagreement(expected).orElseThrow()
        .contains("job id 'app-7/stage-3/attempt-0' is not 'app-7/stage-3/attempt-1'"));
    assertTrue(new Hello(expected.jobId(), 3, 1024, 2, 3).disagreement(expected).orElseThrow()
        .contains("world size 3 is not 4"));
    assertTrue(new Hello(expected.jobId(), 4, 512, 2, 3).disagreement(expected).orElseThrow()
        .contains("bucket of 512 floats is not 1024"));
    assertTrue(new Hello(expected.jobId(), 4, 1024, 1, 3).disagreement(expected).orElseThrow()
        .contains("rank 1 connecting to rank 3 is not the expected rank 2 connecting to rank 3"));
  }

  @Test
  void aRefusalCarriesItsReasonToTheRefusedPeer() throws IOException {
    AllReduceException e = assertThrows(AllReduceException.class,
        () -> Hello.parse(readFrame(Hello.rejectFrame("job id mismatch")), "rank 3 (127.0.0.1:4000)"));
    assertEquals("ring set-up: rank 3 (127.0.0.1:4000) refused this rank: job id mismatch", e.getMessage());
  }

  @Test
  void somethingElseOnThePortIsNotTakenForAPeer() throws IOException {
    ByteBuffer http = ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes());
    assertThrows(IOException.class, () -> readFrame(http));
    byte[] garbage = {'H', 0, 0, 0, 1, 0, 0, 0, 1};
    assertThrows(AllReduceException.class, () -> Hello.parse(garbage, "x"));
  }

  /** Feeds a frame through a pipe one byte at a time, as a slow network might deliver it. */
  private static byte[] readFrame(ByteBuffer frame) throws IOException {
    Pipe pipe = Pipe.open();
    pipe.source().configureBlocking(false);
    FrameReader reader = new FrameReader();
    byte[] body = null;
    while (body == null && frame.hasRemaining()) {
      pipe.sink().write(frame.slice(frame.position(), 1));
      frame.position(frame.position() + 1);
      body = reader.readFrom(pipe.source());
    }
    return body;
  }
}
