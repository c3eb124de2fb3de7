package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.storage.InputFiles;
import org.mlmspark.storage.InputFiles.InputFile;

class JsonLinesSplitsTest {
  private final Configuration conf = new Configuration();

  @TempDir Path tmp;

  private static InputFile input(Path file) throws IOException {
    return new InputFile(file.toUri().toString(), Files.size(file), 0, InputFiles.Format.JSON_LINES);
  }

  private List<String> read(List<List<JsonLinesSplits.Split>> partitions, int maxLineBytes) {
    List<String> lines = new ArrayList<>();
    for (List<JsonLinesSplits.Split> partition : partitions) {
      JsonLinesSplits.lines(partition, JsonLinesSplits.settings(conf), maxLineBytes).forEachRemaining(line ->
          lines.add(new String(line.raw(), StandardCharsets.UTF_8) + (line.bytes() > line.raw().length
              ? " (" + line.bytes() + " bytes)" : "")));
    }
    return lines;
  }

  @Test
  void everyLineIsReadOnceWhereverTheSplitsCutTheFile() throws IOException {
    List<String> expected = new ArrayList<>();
    StringBuilder text = new StringBuilder("\uFEFF");
    for (int i = 0; i < 40; i++) {
      String line = "{\"n\": " + i + ", \"pad\": \"" + "x".repeat(i % 7) + "\"}";
      expected.add(line);
      text.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
      if (i % 10 == 0) {
        text.append("   \n"); // blank: not a record
      }
    }
    Path file = Files.writeString(tmp.resolve("a.jsonl"), text.toString());
    for (long splitBytes : List.of(1L, 7L, 23L, 64L, 1L << 20)) {
      List<List<JsonLinesSplits.Split>> partitions = JsonLinesSplits.partitions(List.of(input(file)), conf, splitBytes);
      assertEquals(expected, read(partitions, 1000), "splits of " + splitBytes + " bytes");
    }
    assertEquals(1, JsonLinesSplits.partitions(List.of(input(file)), conf, 1L << 20).size());
    assertTrue(JsonLinesSplits.partitions(List.of(input(file)), conf, 64).size() > 5);
  }

  @Test
  void aCompressedFileIsOneSplitAndALongLineIsMeasured() throws IOException {
    Path file = tmp.resolve("b.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(("{\"a\": 1}\n" + "y".repeat(3000) + "\n{\"b\": 2}\n").getBytes(StandardCharsets.UTF_8));
    }
    List<List<JsonLinesSplits.Split>> partitions = JsonLinesSplits.partitions(List.of(input(file)), conf, 7);
    assertEquals(List.of(List.of(new JsonLinesSplits.Split(file.toUri().toString(), 0, Long.MAX_VALUE))), partitions);
    List<String> lines = read(partitions, 2000);
    assertEquals(3, lines.size());
    assertEquals("{\"a\": 1}", lines.get(0));
    assertEquals("y".repeat(1024) + " (3000 bytes)", lines.get(1));
    assertEquals("{\"b\": 2}", lines.get(2));
  }
}
