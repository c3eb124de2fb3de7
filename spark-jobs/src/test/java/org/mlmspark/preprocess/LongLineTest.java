package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.preprocess.cli.PreprocessCommand;
import org.mlmspark.testing.ChildJvm;
import org.mlmspark.testing.TestData;

/**
 * A 200 MB JSON line among ordinary records, preprocessed by a JVM with a 512 MiB heap: the line is rejected as
 * {@code line_too_long} while it streams past (its first KiB kept in {@code _rejects/}) and the other records
 * are preprocessed.
 */
class LongLineTest {
  private static final long LINE_BYTES = 200L << 20;

  @TempDir Path tmp;

  @Test
  void a200MbLineIsRejectedWhileStreamingWithA512MbHeap() throws Exception {
    Path input = Files.createDirectories(tmp.resolve("in"));
    List<String> records;
    try (Stream<Path> files = Files.list(TestData.require("data/eli5_category_sample"))) {
      records = files.sorted().flatMap(f -> {
        try {
          return Files.readAllLines(f).stream();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(input.resolve("part.jsonl")), 1 << 20)) {
      for (int i = 0; i < records.size(); i++) {
        if (i == records.size() / 2) {
          out.write("{\"q_id\": \"huge\", \"title\": \"".getBytes(StandardCharsets.UTF_8));
          byte[] chunk = "a".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
          for (long written = 0; written < LINE_BYTES; written += chunk.length) {
            out.write(chunk);
          }
          out.write("\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write((records.get(i) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }

    Path output = tmp.resolve("out");
    Path log = tmp.resolve("run.log");
    Process run = ChildJvm.start(PreprocessCommand.class, List.of("-Xmx512m"), List.of("spark.master=local[2]"), log,
        "--input", input.toString(), "--output", output.toString(), "--tokenizer",
        TestData.distilrobertaTokenizer().toString(), "--max-reject-fraction", "0.1");
    assertTrue(run.waitFor(10, TimeUnit.MINUTES));
    assertEquals(0, run.exitValue(), Files.readString(log));

    JsonNode manifest = new ObjectMapper().readTree(output.resolve("manifest.json").toFile());
    assertEquals(records.size() + 1, manifest.path("rows").path("read").asLong());
    assertEquals(Map.of("line_too_long", 1L), new ObjectMapper().convertValue(
        manifest.path("rows").path("rejected_by_reason"), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Long>>() {}));
    String reject;
    try (Stream<Path> parts = Files.list(output.resolve("_rejects"))) {
      Path part = parts.filter(p -> p.getFileName().toString().endsWith(".json")).filter(p -> p.toFile().length() > 0)
          .findFirst().orElseThrow();
      reject = Files.readString(part).strip();
    }
    JsonNode rejected = new ObjectMapper().readTree(reject);
    assertEquals("line_too_long", rejected.path("reason").asText());
    assertTrue(rejected.path("detail").asText().startsWith("a line of " + (LINE_BYTES + 29) + " bytes"),
        rejected.path("detail").asText());
    assertTrue(rejected.path("raw").asText().startsWith("{\"q_id\": \"huge\", \"title\": \"aaa"));
  }
}
