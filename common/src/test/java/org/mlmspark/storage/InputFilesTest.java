package org.mlmspark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
  private final Configuration conf = new Configuration();

  @TempDir Path tmp;

  private List<String> names(InputFiles files) {
    return files.files().stream().map(f -> f.uri().substring(f.uri().lastIndexOf('/') + 1)).toList();
  }

  @Test
  void expandsDirectoriesAndGlobsInPathOrderSkippingHiddenAndForeignFiles() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("data/sub"));
    for (String name : List.of("b.jsonl", "a.json.gz", "sub/c.parquet", "_SUCCESS", ".a.jsonl.crc", "README.md")) {
      Files.writeString(tmp.resolve("data").resolve(name), "x");
    }
    Files.writeString(tmp.resolve("z.jsonl"), "x");
    InputFiles files = InputFiles.list(List.of(tmp + "/z*.jsonl", tmp.resolve("data").toString()), conf);
    assertEquals(List.of("a.json.gz", "b.jsonl", "c.parquet", "z.jsonl"), names(files));
    assertEquals(InputFiles.Format.PARQUET, files.files().get(2).format());
    assertEquals(List.of(files.files().get(2).uri()), files.uris(InputFiles.Format.PARQUET));
    // Spark's _metadata.file_path form: file:/..., not file:///...
    assertEquals("file:" + dir.resolve("c.parquet"), files.files().get(2).uri());
    assertEquals(4, files.totalBytes());
  }

  @Test
  void aFileNamedDirectlyIsTakenWhateverItsName() throws IOException {
    Path odd = Files.writeString(tmp.resolve("export.txt"), "{}");
    assertEquals(List.of("export.txt"), names(InputFiles.list(List.of(odd.toString()), conf)));
  }

  @Test
  void fingerprintChangesWhenAFileChanges() throws IOException {
    Path file = Files.writeString(tmp.resolve("a.jsonl"), "x");
    String before = InputFiles.list(List.of(file.toString()), conf).fingerprint();
    assertEquals(before, InputFiles.list(List.of(file.toString()), conf).fingerprint());
    Files.writeString(file, "xy");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_000));
    assertNotEquals(before, InputFiles.list(List.of(file.toString()), conf).fingerprint());
  }

  @Test
  void reportsWhatMatchedNothing() throws IOException {
    FileNotFoundException missing =
        assertThrows(FileNotFoundException.class, () -> InputFiles.list(List.of(tmp + "/none-*.jsonl"), conf));
    assertEquals("input not found: " + tmp + "/none-*.jsonl", missing.getMessage());
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Files.writeString(empty.resolve("notes.md"), "x");
    assertThrows(FileNotFoundException.class, () -> InputFiles.list(List.of(empty.toString()), conf));
  }
}
