package org.mlmspark.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir
  Path dir;

  private static byte[] bytes(int n) {
    byte[] data = new byte[n];
    for (int i = 0; i < n; i++) {
      data[i] = (byte) (i * 7);
    }
    return data;
  }

  @Test
  void theNewestCompleteCheckpointIsFoundAndReadBack() {
    CheckpointStore store = CheckpointStore.at(dir.resolve("ckpt").toString(), new Configuration());
    assertEquals(OptionalLong.empty(), store.latestStep());
    store.save(5, out -> out.write(bytes(10)));
    store.save(10, out -> out.write(bytes(20)));
    assertEquals(OptionalLong.of(10), store.latestStep());
    assertArrayEquals(bytes(20), store.load(10, in -> in.readAllBytes()));
    assertArrayEquals(bytes(10), store.load(5, in -> in.readAllBytes()));
  }

  @Test
  void onlyTheNewestTwoAreKept() throws IOException {
    CheckpointStore store = CheckpointStore.at(dir.toString(), new Configuration());
    for (long step : List.of(5L, 10L, 15L, 20L)) {
      store.save(step, out -> out.write(bytes((int) step)));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("step-000000000015.ckpt", "step-000000000020.ckpt"),
          files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList());
    }
  }

  @Test
  void aWriteThatFailsHalfwayLeavesNoCheckpoint() throws IOException {
    CheckpointStore store = CheckpointStore.at(dir.toString(), new Configuration());
    store.save(5, out -> out.write(bytes(10)));
    assertThrows(IOException.class, () -> {
      try {
        store.save(10, out -> {
          out.write(bytes(1000));
          throw new IOException("disk full");
        });
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
    });
    assertEquals(OptionalLong.of(5), store.latestStep());
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("_writing")));
    }
  }

  @Test
  void aRelativeDirectoryIsResolvedOnTheDriverAndTheStoreTravelsToExecutors() throws Exception {
    CheckpointStore store = CheckpointStore.at("relative/ckpt", new Configuration());
    assertTrue(store.directory().startsWith("file:/"), store.directory());
    CheckpointStore shipped = CheckpointStore.at(dir.toString(), new Configuration());
    ByteArrayOutputStream serialized = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
      out.writeObject(shipped);
    }
    CheckpointStore received;
    try (ObjectInputStream in = new ObjectInputStream(new java.io.ByteArrayInputStream(serialized.toByteArray()))) {
      received = (CheckpointStore) in.readObject();
    }
    shipped.save(3, out -> out.write(bytes(3)));
    assertEquals(OptionalLong.of(3), received.latestStep());
  }
}
