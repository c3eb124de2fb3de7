package org.mlmspark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
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
    try (AtomicOutput out = prepare(output)) {
      Files.createDirectories(staging(out).resolve("train"));
      Files.writeString(staging(out).resolve("train/part-0.parquet"), content);
      out.commit(("{\"run\": \"" + content + "\"}").getBytes(StandardCharsets.UTF_8));
    }
  }

  private Set<String> entries(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  /** What a run killed outright leaves: its lock (its process gone) and its staging directory. */
  private Path killedRun(Path output) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Instant now = Instant.now();
    Files.write(tmp.resolve("." + output.getFileName() + ".lock"),
        new LockOwner(OutputLock.localHost(), gone.pid(), "killed", now, now).toJson());
    Path staging = Files.createDirectories(tmp.resolve("." + output.getFileName() + ".staging-killed"));
    Files.writeString(staging.resolve("half-written"), "x");
    return staging;
  }

  @Test
  void aLocalFileIsReplacedWholeOrNotAtAllAndNoTemporaryIsLeft() throws IOException {
    Path cached = tmp.resolve("hub/blobs/abc");
    AtomicOutput.writeFile(cached, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
    AtomicOutput.writeFile(cached, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
    assertEquals("second", Files.readString(cached));
    IOException e = assertThrows(IOException.class, () -> AtomicOutput.writeFile(cached, out -> {
      out.write("half".getBytes(StandardCharsets.UTF_8));
      throw new IOException("connection reset");
    }));
    assertEquals("connection reset", e.getMessage());
    assertEquals("second", Files.readString(cached), "a failed write leaves the file as it was");
    try (var entries = Files.list(cached.getParent())) {
      assertEquals(Set.of("abc"), entries.map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
    }
  }

  @Test
  void commitReplacesThePreviousOutputWholeAndLeavesNothingBeside() throws IOException {
    Path output = tmp.resolve("out");
    writeRun(output, "first");
    writeRun(output, "second");
    assertEquals("second", Files.readString(output.resolve("train/part-0.parquet")));
    assertTrue(Files.readString(output.resolve(AtomicOutput.MANIFEST)).contains("second"));
    assertEquals(Set.of("out"), entries(tmp), "no staging, previous output or lock left beside it");
  }

  @Test
  void closingWithoutACommitRemovesTheRunsStagingAndLeavesTheOutputAlone() throws IOException {
    Path output = tmp.resolve("out");
    writeRun(output, "first");
    Path staged;
    try (AtomicOutput failing = prepare(output)) {
      staged = staging(failing);
      Files.writeString(staged.resolve("half-written"), "x");
    }
    assertFalse(Files.exists(staged));
    assertEquals("first", Files.readString(output.resolve("train/part-0.parquet")));
    assertEquals(Set.of("out"), entries(tmp));
  }

  @Test
  void aSecondWriterIsRefusedWithExit3AndTouchesNothingOfTheFirst() throws IOException {
    Path output = tmp.resolve("out");
    try (AtomicOutput first = prepare(output)) {
      Files.writeString(staging(first).resolve("live"), "x");
      UserError refused = assertThrows(UserError.class, () -> prepare(output));
      assertEquals(3, refused.exitCode());
      assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid()), refused.getMessage());
      assertEquals("x", Files.readString(staging(first).resolve("live")), "the first run's staging is intact");
      first.commit("{}".getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(Files.exists(output.resolve("live")));
  }

  @Test
  void eachRunStagesInItsOwnDirectory() throws IOException {
    Path output = tmp.resolve("out");
    Path firstStaging;
    try (AtomicOutput first = prepare(output)) {
      firstStaging = staging(first);
    }
    try (AtomicOutput second = prepare(output)) {
      assertNotEquals(firstStaging, staging(second));
      assertTrue(staging(second).getFileName().toString().startsWith(".out.staging-"));
    }
  }

  @Test
  void theNextRunRestoresAnOutputWhoseCommitWasInterrupted() throws Exception {
    Path output = tmp.resolve("out");
    writeRun(output, "first");
    // A run killed between its two renames: the old output moved aside, the new one not yet in place.
    Path killedStaging = killedRun(output);
    Files.move(output, tmp.resolve(".out.previous"));

    try (AtomicOutput next = prepare(output)) {
      assertEquals("first", Files.readString(output.resolve("train/part-0.parquet")));
      assertTrue(Files.exists(output.resolve(AtomicOutput.MANIFEST)));
      assertFalse(Files.exists(tmp.resolve(".out.previous")));
      assertFalse(Files.exists(killedStaging), "the killed run's staging is removed");
      assertTrue(Files.isDirectory(staging(next)), "fresh staging for the new run");
    }
  }

  @Test
  void aCommitRefusesSparkDebrisAndFilesThatDisagreeWithTheManifest() throws IOException {
    Path output = tmp.resolve("out");
    writeRun(output, "first");
    try (AtomicOutput out = prepare(output)) {
      Path debris = Files.createDirectories(staging(out).resolve("train/_temporary/0"));
      Files.writeString(debris.resolve("part-1.parquet"), "x");
      IOException e = assertThrows(IOException.class, () -> out.commit("{}".getBytes(StandardCharsets.UTF_8)));
      assertTrue(e.getMessage().contains("_temporary"), e.getMessage());
    }
    try (AtomicOutput out = prepare(output)) {
      IOException e = assertThrows(IOException.class, () -> out.commit("{}".getBytes(StandardCharsets.UTF_8),
          (fs, staged) -> {
            throw new IOException("not committing: " + staged + " holds 1 rows where the manifest records 2");
          }));
      assertTrue(e.getMessage().contains("holds 1 rows where the manifest records 2"), e.getMessage());
    }
    assertEquals("first", Files.readString(output.resolve("train/part-0.parquet")));
    assertEquals(Set.of("out"), entries(tmp));
  }

  @Test
  void refusesToReplaceSomethingItDidNotWrite() throws IOException {
    Path foreign = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(foreign.resolve("cat.jpg"), "meow");
    UserError e = assertThrows(UserError.class, () -> prepare(foreign));
    assertTrue(e.getMessage().contains("cat.jpg"), e.getMessage());
    assertEquals(2, assertThrows(UserError.class, () -> prepare(foreign)).exitCode(), "the lock was released");
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThrows(UserError.class, () -> prepare(file));
  }

  private org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toUri());
  }

  private org.apache.hadoop.fs.FileSystem localFs() throws IOException {
    return org.apache.hadoop.fs.FileSystem.getLocal(conf).getRaw();
  }

  @Test
  void aFileIsWrittenUnderItsTemporaryNameAndRenamedOrNotAtAll() throws IOException {
    var fs = localFs();
    Path target = tmp.resolve("run.json");
    AtomicOutput.writeFile(fs, hadoop(target), hadoop(tmp.resolve("run.json.tmp")), true,
        out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
    AtomicOutput.writeFile(fs, hadoop(target), hadoop(tmp.resolve("run.json.tmp")), true,
        out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
    assertEquals("second", Files.readString(target));
    IOException e = assertThrows(IOException.class, () -> AtomicOutput.writeFile(fs, hadoop(target),
        AtomicOutput.uniqueTemporary(hadoop(tmp), "_writing"), true, out -> {
          out.write("half".getBytes(StandardCharsets.UTF_8));
          throw new IOException("disk full");
        }));
    assertEquals("disk full", e.getMessage());
    assertEquals("second", Files.readString(target));
    assertEquals(Set.of("run.json"), entries(tmp), "no temporary file left");
  }

  @Test
  void aDirectoryReplacesTheOldOneWholeOrNotAtAll() throws IOException {
    var fs = localFs();
    Path target = tmp.resolve("model");
    for (String content : new String[] {"first", "second"}) {
      AtomicOutput.writeDirectory(fs, hadoop(target), AtomicOutput.uniqueTemporary(hadoop(tmp), ".model.tmp"),
          "done", dir -> {
            Files.writeString(Path.of(dir.toUri()).resolve("weights"), content);
            Files.writeString(Path.of(dir.toUri()).resolve("done"), content);
          });
    }
    assertEquals("second", Files.readString(target.resolve("weights")));
    assertThrows(IOException.class, () -> AtomicOutput.writeDirectory(fs, hadoop(target),
        AtomicOutput.uniqueTemporary(hadoop(tmp), ".model.tmp"), "done",
        dir -> Files.writeString(Path.of(dir.toUri()).resolve("weights"), "no marker")));
    assertEquals("second", Files.readString(target.resolve("weights")));
    assertEquals(Set.of("weights", "done"), entries(target));
    assertEquals(Set.of("model"), entries(tmp), "no staging or old directory left beside it");
  }

  @Test
  void withoutAtomicRenameTheMarkerIsRemovedFirstAndCopiedLast() throws IOException {
    var fs = localFs();
    Path target = Files.createDirectories(tmp.resolve("step-2"));
    Files.writeString(target.resolve("stale"), "x");
    Files.writeString(target.resolve("done"), "old");
    Path staging = Files.createDirectories(tmp.resolve(".step-2.tmp"));
    Files.writeString(staging.resolve("weights"), "new");
    Files.writeString(staging.resolve("done"), "new");
    AtomicOutput.replaceDirectory(fs, hadoop(staging), hadoop(target), hadoop(tmp.resolve(".aside")), "done", false);
    assertEquals(Set.of("weights", "done"), entries(target));
    assertEquals("new", Files.readString(target.resolve("done")));
    assertEquals(Set.of("step-2"), entries(tmp));
  }

  @Test
  void entriesAreMovedIntoAnExistingDirectoryMarkerLast() throws IOException {
    var fs = localFs();
    Path target = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(target.resolve("kept"), "x");
    Files.writeString(target.resolve("metrics"), "old");
    Files.writeString(target.resolve("weights"), "old");
    IOException e = assertThrows(IOException.class, () -> AtomicOutput.writeEntries(fs, hadoop(target),
        AtomicOutput.uniqueTemporary(hadoop(target), ".result.tmp"), "metrics", dir -> {
          throw new IOException("disk full");
        }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(target.resolve("metrics")), "a failed write leaves the old result");
    AtomicOutput.writeEntries(fs, hadoop(target), AtomicOutput.uniqueTemporary(hadoop(target), ".result.tmp"),
        "metrics", dir -> {
          Files.writeString(Path.of(dir.toUri()).resolve("weights"), "new");
          Files.writeString(Path.of(dir.toUri()).resolve("metrics"), "new");
        });
    assertEquals(Set.of("kept", "metrics", "weights"), entries(target));
    assertEquals("new", Files.readString(target.resolve("weights")));
    assertEquals("new", Files.readString(target.resolve("metrics")));
  }
}
