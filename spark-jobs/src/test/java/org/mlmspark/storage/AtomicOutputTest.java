package org.mlmspark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.cli.UserError;

class AtomicOutputTest {
  private static final Set<String> OURS = Set.of("train", "test");
  private final Configuration conf = new Configuration();

  @TempDir Path tmp;

  private AtomicOutput prepare(Path output) throws IOException {
    return AtomicOutput.prepare(new org.apache.hadoop.fs.Path(output.toUri()), OURS, conf);
  }

  private static Path staging(AtomicOutput out) {
    return Path.of(out.staging().toUri());
  }

  private void writeRun(Path output, String content) throws IOException {
    AtomicOutput out = prepare(output);
    Files.createDirectories(staging(out).resolve("train"));
    Files.writeString(staging(out).resolve("train/part-0.parquet"), content);
    out.commit(("{\"run\": \"" + content + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void commitReplacesThePreviousOutputWholeAndLeavesNothingBeside() throws IOException {
    Path output = tmp.resolve("out");
    writeRun(output, "first");
    writeRun(output, "second");
    assertEquals("second", Files.readString(output.resolve("train/part-0.parquet")));
    assertTrue(Files.readString(output.resolve(AtomicOutput.MANIFEST)).contains("second"));
    try (var entries = Files.list(tmp)) {
      assertEquals(Set.of("out"), entries.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
    }
  }

  @Test
  void abortLeavesThePreviousOutputAlone() throws IOException {
    Path output = tmp.resolve("out");
    writeRun(output, "first");
    AtomicOutput failing = prepare(output);
    Files.writeString(staging(failing).resolve("half-written"), "x");
    failing.abort();
    assertFalse(Files.exists(staging(failing)));
    assertEquals("first", Files.readString(output.resolve("train/part-0.parquet")));
  }

  @Test
  void theNextRunRestoresAnOutputWhoseCommitWasInterrupted() throws IOException {
    Path output = tmp.resolve("out");
    writeRun(output, "first");
    // A run killed between its two renames: the old output moved aside, the new one not yet in place.
    AtomicOutput killed = prepare(output);
    Files.move(output, tmp.resolve(".out.previous"));
    assertFalse(Files.exists(output));

    AtomicOutput next = prepare(output);
    assertEquals("first", Files.readString(output.resolve("train/part-0.parquet")));
    assertTrue(Files.exists(output.resolve(AtomicOutput.MANIFEST)));
    assertFalse(Files.exists(tmp.resolve(".out.previous")));
    assertTrue(Files.isDirectory(staging(next)), "fresh staging for the new run");
    assertEquals(staging(killed), staging(next));
  }

  @Test
  void killedRunsLeaveStagingThatTheNextRunClears() throws IOException {
    Path output = tmp.resolve("out");
    AtomicOutput killed = prepare(output);
    Files.writeString(staging(killed).resolve("stale"), "x");
    AtomicOutput next = prepare(output);
    assertFalse(Files.exists(staging(next).resolve("stale")));
  }

  @Test
  void refusesToReplaceSomethingItDidNotWrite() throws IOException {
    Path foreign = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(foreign.resolve("cat.jpg"), "meow");
    UserError e = assertThrows(UserError.class, () -> prepare(foreign));
    assertTrue(e.getMessage().contains("cat.jpg"), e.getMessage());
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThrows(UserError.class, () -> prepare(file));
  }
}
