package org.mlmspark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.storage.InputFiles.Format;

/** Which files a directory contributes, and as what: plain text only for jobs that ask for it. */
class InputFilesTextFormatTest {
  @TempDir Path dir;

  private List<String> listed(String spec, Set<Format> formats) throws IOException {
    return InputFiles.list(List.of(spec), formats, new Configuration()).files().stream()
        .map(f -> Path.of(URI.create(f.uri())).getFileName() + ":" + f.format())
        .toList();
  }

  @Test
  void textFilesOnlyWhenAskedFor() throws IOException {
    for (String name : List.of("a.jsonl", "b.txt", "c.parquet", "d.txt.gz", "notes.md", "_SUCCESS")) {
      Files.writeString(dir.resolve(name), "");
    }
    assertEquals(List.of("a.jsonl:JSON_LINES", "c.parquet:PARQUET"),
        listed(dir.toString(), InputFiles.RECORD_FORMATS));
    assertEquals(List.of("a.jsonl:JSON_LINES", "b.txt:TEXT", "c.parquet:PARQUET", "d.txt.gz:TEXT"),
        listed(dir.toString(), EnumSet.allOf(Format.class)));
    // A file named directly is read whatever its suffix: as JSON lines unless text is asked for.
    assertEquals(List.of("b.txt:JSON_LINES"), listed(dir.resolve("b.txt").toString(), InputFiles.RECORD_FORMATS));
    assertEquals(List.of("b.txt:TEXT"), listed(dir.resolve("b.txt").toString(), EnumSet.allOf(Format.class)));
  }
}
