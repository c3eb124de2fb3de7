package org.mlmspark.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hostile directory cannot make its reader leave it, block on a FIFO or read without end. */
class ContainedFilesTest {
  @TempDir Path tmp;

  private ContainedFiles files(Path dir) throws IOException {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    return ContainedFiles.of(fs, fs.makeQualified(new org.apache.hadoop.fs.Path(dir.toUri())), "test directory");
  }

  private Path dir() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(dir.resolve("config.json"), "{}");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/shard.bin"), "shard");
    Files.writeString(tmp.resolve("secret.txt"), "outside");
    return dir;
  }

  private static void assertRefused(ContainedFiles files, String name, String why) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> files.read(name, 1 << 20));
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void readsPlainFilesAndSymlinksThatStayInside() throws IOException {
    Path dir = dir();
    Files.createSymbolicLink(dir.resolve("alias.json"), Path.of("sub/../config.json"));
    ContainedFiles files = files(dir);
    assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), files.read("config.json", 100));
    assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), files.read("alias.json", 100));
    assertArrayEquals("shard".getBytes(StandardCharsets.UTF_8), files.read("sub/shard.bin", 100));
    assertEquals(5, files.status("sub/shard.bin").getLen());
    assertThrows(FileNotFoundException.class, () -> files.read("absent.json", 100));
  }

  @Test
  void namesThatAreNotPlainRelativePathsAreRefusedBeforeAnyAccess() throws IOException {
    ContainedFiles files = files(dir());
    for (String name : List.of("../secret.txt", "/etc/passwd", "sub/../../secret.txt", "./config.json", "a//b",
        "file:/etc/passwd", "s3a://bucket/x", "sub\\..\\x", "")) {
      assertRefused(files, name, "not a plain relative path");
      assertFalse(ContainedFiles.isPlainRelative(name), name);
    }
  }

  @Test
  void symlinksLeavingTheDirectoryAreRefused() throws IOException {
    Path dir = dir();
    Files.createSymbolicLink(dir.resolve("relative.json"), Path.of("../secret.txt"));
    Files.createSymbolicLink(dir.resolve("absolute.json"), tmp.resolve("secret.txt"));
    Files.createSymbolicLink(dir.resolve("passwd.json"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(dir.resolve("sub/up"), Path.of(".."));
    ContainedFiles files = files(dir);
    assertRefused(files, "relative.json", "leads outside");
    assertRefused(files, "absolute.json", "leads outside");
    assertRefused(files, "passwd.json", "leads outside");
    // Through a symlinked directory inside: still inside, so allowed.
    assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), files.read("sub/up/config.json", 100));
  }

  @Test
  void devicesFifosAndDirectoriesAreNotRead() throws IOException, InterruptedException {
    Path dir = dir();
    Path fifo = dir.resolve("fifo.json");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Files.createSymbolicLink(dir.resolve("zero.json"), Path.of("/dev/zero"));
    ContainedFiles files = files(dir);
    assertRefused(files, "fifo.json", "not a regular file (a device, FIFO or socket)");
    assertRefused(files, "sub", "not a regular file (a directory)");
    assertRefused(files, "zero.json", "leads outside");
    // And a directory that is itself /dev: the device is inside it, but still not a regular file.
    assertRefused(files(Path.of("/dev")), "zero", "not a regular file");
  }

  @Test
  void readsStopAtTheirCap() throws IOException {
    Path dir = dir();
    Files.write(dir.resolve("big.json"), new byte[1001]);
    ContainedFiles files = files(dir);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> files.read("big.json", 1000));
    assertTrue(e.getMessage().contains("larger than 1000 bytes"), e.getMessage());
    assertEquals(1001, files.read("big.json", 1001).length);
  }

  @Test
  void aHubSnapshotMayLinkIntoItsRepositoryBlobsButNoFurther() throws IOException {
    Path repo = tmp.resolve("hub/models--org--name");
    Path snapshot = Files.createDirectories(repo.resolve("snapshots/0123456789abcdef0123456789abcdef01234567"));
    Files.createDirectories(repo.resolve("blobs"));
    Files.writeString(repo.resolve("blobs/abc"), "{}");
    Files.createSymbolicLink(snapshot.resolve("config.json"), Path.of("../../blobs/abc"));
    Path other = Files.createDirectories(tmp.resolve("hub/models--other--repo/blobs"));
    Files.writeString(other.resolve("def"), "other");
    Files.createSymbolicLink(snapshot.resolve("tokenizer.json"), Path.of("../../../models--other--repo/blobs/def"));
    ContainedFiles files = files(snapshot);
    assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), files.read("config.json", 100));
    assertRefused(files, "tokenizer.json", "leads outside");
  }
}
