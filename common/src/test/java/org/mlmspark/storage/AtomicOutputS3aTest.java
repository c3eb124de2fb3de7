package org.mlmspark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.testing.S3ProxyServer;

/** The single-file and directory commits on an S3-compatible store, where rename is a copy. */
class AtomicOutputS3aTest {
  @TempDir Path tmp;

  private static void write(FileSystem fs, org.apache.hadoop.fs.Path file, String content) throws IOException {
    try (OutputStream out = fs.create(file, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String read(FileSystem fs, org.apache.hadoop.fs.Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Set<String> names(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
    return Arrays.stream(fs.listStatus(dir)).map(s -> s.getPath().getName()).collect(Collectors.toSet());
  }

  @Test
  void filesAndDirectoriesAreCommittedOnS3a() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start(tmp)) {
      s3.createBucket("commits");
      Configuration conf = new Configuration();
      s3.applyTo(conf);
      org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path("s3a://commits/out");
      FileSystem fs = root.getFileSystem(conf);
      assertFalse(AtomicOutput.renamesAtomically(fs));

      org.apache.hadoop.fs.Path record = new org.apache.hadoop.fs.Path(root, "run.json");
      for (String content : new String[] {"first", "second"}) {
        AtomicOutput.writeFile(fs, record, new org.apache.hadoop.fs.Path(root, "run.json.tmp"), true,
            out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
      }
      assertEquals("second", read(fs, record));

      org.apache.hadoop.fs.Path checkpoints = new org.apache.hadoop.fs.Path(root, "checkpoints");
      org.apache.hadoop.fs.Path step = new org.apache.hadoop.fs.Path(checkpoints, "step-2");
      write(fs, new org.apache.hadoop.fs.Path(step, "stale"), "left by a killed run");
      AtomicOutput.writeDirectory(fs, step, AtomicOutput.uniqueTemporary(checkpoints, ".step-2.tmp"),
          "trainer_state.json", dir -> {
            write(fs, new org.apache.hadoop.fs.Path(dir, "model.safetensors"), "weights");
            write(fs, new org.apache.hadoop.fs.Path(dir, "trainer_state.json"), "state");
          });
      assertEquals(Set.of("model.safetensors", "trainer_state.json"), names(fs, step));
      assertEquals(Set.of("step-2"), names(fs, checkpoints), "no staging left beside it");
      assertEquals("state", read(fs, new org.apache.hadoop.fs.Path(step, "trainer_state.json")));

      assertThrows(IOException.class, () -> AtomicOutput.writeDirectory(fs, step,
          AtomicOutput.uniqueTemporary(checkpoints, ".step-2.tmp"), "trainer_state.json",
          dir -> write(fs, new org.apache.hadoop.fs.Path(dir, "model.safetensors"), "no state")));
      assertEquals("weights", read(fs, new org.apache.hadoop.fs.Path(step, "model.safetensors")));

      AtomicOutput.writeEntries(fs, root, AtomicOutput.uniqueTemporary(root, ".result.tmp"), "metrics.jsonl",
          dir -> {
            write(fs, new org.apache.hadoop.fs.Path(dir, "model.safetensors"), "final");
            write(fs, new org.apache.hadoop.fs.Path(dir, "metrics.jsonl"), "{}");
          });
      assertEquals(Set.of("run.json", "checkpoints", "model.safetensors", "metrics.jsonl"), names(fs, root));
    }
  }
}
