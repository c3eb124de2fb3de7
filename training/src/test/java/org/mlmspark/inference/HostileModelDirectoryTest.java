package org.mlmspark.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.cli.Cli;
import org.mlmspark.inference.cli.FillMaskCommand;
import org.mlmspark.testing.TestData;

/**
 * {@code bin/fill-mask --model DIR} on model directories written by an attacker or broken in transit: every case
 * is one {@code error:} line naming the file, exit 2, no stack trace, no prediction printed, and nothing outside
 * the directory read. The valid directory they are made from predicts (the control).
 */
class HostileModelDirectoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEXT = "The Milky Way is a <mask> galaxy.";
  private static Path fixture;
  private static byte[] weights;

  @TempDir static Path tmp;
  private static int dirs;

  @BeforeAll
  static void fixture() throws IOException {
    fixture = TestData.require("fixtures/hf/tiny-roberta/model");
    weights = Files.readAllBytes(fixture.resolve("model.safetensors"));
  }

  private record Run(int code, String out, String err) {}

  private static Run fillMask(Path model) {
    StringWriter err = new StringWriter();
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int code = Cli.run(new FillMaskCommand(), new PrintWriter(err, true), "--model", model.toString(), TEXT);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(original);
    }
  }

  /** A copy of the fixture's model directory, changed by {@code change}. */
  private static Path model(Consumer<Path> change) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("model-" + dirs++));
    for (String file : List.of("config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors")) {
      Files.copy(fixture.resolve(file), dir.resolve(file));
    }
    change.accept(dir);
    return dir;
  }

  /** One error line that contains {@code expected}, exit 2, nothing on stdout. */
  private static void assertRefused(Path model, String... expected) {
    Run run = fillMask(model);
    assertEquals(2, run.code(), run.err());
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), run.err());
    assertTrue(lines.get(0).startsWith("error: "), run.err());
    for (String part : expected) {
      assertTrue(lines.get(0).contains(part), "expected '" + part + "' in: " + lines.get(0));
    }
    assertEquals("", run.out());
  }

  private static void write(Path file, byte[] content) {
    try {
      Files.deleteIfExists(file);
      Files.write(file, content);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void symlink(Path link, Path target) {
    try {
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, target);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  // ---- the fixture's safetensors file, taken apart and put together again ----

  private static long headerLength() {
    return ByteBuffer.wrap(weights, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static ObjectNode header() {
    try {
      return (ObjectNode) JSON.readTree(Arrays.copyOfRange(weights, 8, 8 + (int) headerLength()));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] data() {
    return Arrays.copyOfRange(weights, 8 + (int) headerLength(), weights.length);
  }

  private static byte[] file(long lengthField, byte[] header, byte[] data) {
    return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(lengthField).put(header).put(data).array();
  }

  private static byte[] file(ObjectNode header, byte[] data) {
    byte[] text = header.toString().getBytes(StandardCharsets.UTF_8);
    return file(text.length, text, data);
  }

  private static byte[] withLengthField(long length) {
    byte[] copy = weights.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
    return copy;
  }

  /** The tensor entries of the header, in file order. */
  private static List<ObjectNode> tensors(ObjectNode header) {
    List<ObjectNode> tensors = new java.util.ArrayList<>();
    header.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("__metadata__")) {
        tensors.add((ObjectNode) e.getValue());
      }
    });
    return tensors.stream()
        .sorted(Comparator.comparingLong(t -> t.get("data_offsets").get(0).asLong()))
        .toList();
  }

  private static Consumer<Path> weights(byte[] content) {
    return dir -> write(dir.resolve("model.safetensors"), content);
  }

  private static Consumer<Path> config(String field, Object value) {
    return dir -> {
      try {
        ObjectNode config = (ObjectNode) JSON.readTree(fixture.resolve("config.json").toFile());
        config.set(field, JSON.valueToTree(value));
        write(dir.resolve("config.json"), JSON.writeValueAsBytes(config));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    };
  }

  // ---- the control ----

  @Test
  void theUnchangedCopyPredicts() throws IOException {
    Run run = fillMask(model(dir -> { }));
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().startsWith("[{\"score\":"), run.out());
  }

  // ---- paths that leave the directory, and files that are not files ----

  @Test
  void aShardIndexNamingAFileOutsideIsRefused() throws IOException {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.write(elsewhere.resolve("model.safetensors"), weights); // a valid checkpoint: loading it would work
    for (String shard : List.of("../elsewhere/model.safetensors", elsewhere.resolve("model.safetensors").toString(),
        "/etc/passwd", "sub/../../elsewhere/model.safetensors")) {
      Path model = model(dir -> {
        try {
          Files.delete(dir.resolve("model.safetensors"));
          ObjectNode index = JSON.createObjectNode();
          index.putObject("weight_map").put("roberta.embeddings.word_embeddings.weight", shard);
          Files.write(dir.resolve("model.safetensors.index.json"), JSON.writeValueAsBytes(index));
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      });
      assertRefused(model, "model.safetensors.index.json names the shard \"" + shard + "\"",
          "not a plain file name inside the directory");
    }
  }

  @Test
  void symlinksLeavingTheDirectoryAreRefused() throws IOException {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere-link"));
    Files.write(elsewhere.resolve("model.safetensors"), weights);
    Path outside = Path.of("../elsewhere-link/model.safetensors");
    assertRefused(model(dir -> symlink(dir.resolve("model.safetensors"), outside)),
        "/model.safetensors leads outside");
    assertRefused(model(dir -> symlink(dir.resolve("config.json"), Path.of("/etc/passwd"))),
        "/config.json leads outside", "/etc/passwd");
    assertRefused(model(dir -> symlink(dir.resolve("tokenizer.json"), Path.of("/dev/zero"))),
        "/tokenizer.json leads outside", "/dev/zero");
  }

  @Test
  void aFifoIsNotOpened() throws IOException {
    Path model = model(dir -> {
      try {
        Files.delete(dir.resolve("config.json"));
        assertEquals(0, new ProcessBuilder("mkfifo", dir.resolve("config.json").toString()).start().waitFor());
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertRefused(model, "/config.json is not a regular file (a device, FIFO or socket)");
  }

  // ---- safetensors that break the format's rules ----

  @Test
  void overlappingOffsetsAreRefused() throws IOException {
    ObjectNode header = header();
    ArrayNode offsets = (ArrayNode) tensors(header).get(1).get("data_offsets");
    offsets.set(0, offsets.get(0).asLong() - 4);
    assertRefused(model(weights(file(header, data()))), "model.safetensors is not a valid safetensors file",
        "spans must be contiguous, not overlapping");
  }

  @Test
  void reversedOffsetsAreRefused() throws IOException {
    ObjectNode header = header();
    for (ObjectNode tensor : tensors(header)) {
      ArrayNode offsets = (ArrayNode) tensor.get("data_offsets");
      long begin = offsets.get(0).asLong();
      offsets.set(0, offsets.get(1).asLong());
      offsets.set(1, begin);
    }
    assertRefused(model(weights(file(header, data()))), "not a valid safetensors file", "data_offsets");
  }

  @Test
  void aShapeThatDoesNotMatchItsSpanIsRefused() throws IOException {
    ObjectNode bool = header();
    tensors(bool).get(0).put("dtype", "BOOL");
    assertRefused(model(weights(file(bool, data()))), "dtype BOOL needs", "but its data_offsets span");
    ObjectNode huge = header();
    tensors(huge).get(0).putArray("shape").add(1L << 31).add(1L << 31);
    assertRefused(model(weights(file(huge, data()))), "whose size overflows");
  }

  @Test
  void floatsRelabelledAsIntegersAreRefusedNotReinterpreted() throws IOException {
    String relabelled =
        new String(weights, 8, (int) headerLength(), StandardCharsets.UTF_8).replace("\"F32\"", "\"I32\"");
    byte[] header = relabelled.getBytes(StandardCharsets.UTF_8);
    assertRefused(model(weights(file(header.length, header, data()))), "has dtype I32, which does not convert");
  }

  @Test
  void checkpointsWithoutTheModelsParametersAreRefused() throws IOException {
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    assertRefused(model(weights(file(empty.length, empty, new byte[0]))), "lacks", "refused rather than predicting");
    assertRefused(model(weights(file(empty.length, empty, new byte[16]))),
        "the tensors cover 0 data bytes but the file holds 16");
    assertRefused(model(weights(new byte[16])), "the header is not a JSON object");
    ObjectNode renamed = JSON.createObjectNode();
    header().fields().forEachRemaining(e ->
        renamed.set(e.getKey().equals("__metadata__") ? e.getKey() : "renamed." + e.getKey(), e.getValue()));
    assertRefused(model(weights(file(renamed, data()))), "lacks", "random weights");
  }

  @Test
  void headerLengthsThatDoNotFitAreRefused() throws IOException {
    for (long length : new long[] {1L << 40, (1L << 31) + 5, -1, (1L << 31) - 9}) {
      assertRefused(model(weights(withLengthField(length))), "exceeds the format's limit of 100000000 bytes");
    }
    assertRefused(model(weights(withLengthField(0))), "the header is not a JSON object");
    assertRefused(model(weights(withLengthField(weights.length))), "exceeds the file");
    byte[] notJson = "{not json at all}".getBytes(StandardCharsets.UTF_8);
    assertRefused(model(weights(file(notJson.length, notJson, data()))), "the header is not valid JSON");
  }

  // ---- configs ----

  @Test
  void configFieldsOutOfBoundsAreRefusedNamingFileAndField() throws IOException {
    assertRefused(model(config("hidden_size", 1_000_000_000)), "/config.json field hidden_size must be an integer");
    assertRefused(model(config("vocab_size", -1)), "/config.json field vocab_size must be an integer from 1", "got -1");
    assertRefused(model(config("num_hidden_layers", 1_000_000)), "/config.json field num_hidden_layers");
    assertRefused(model(config("vocab_size", 1L << 31)), "field vocab_size", "got 2147483648");
    assertRefused(model(config("intermediate_size", 10_000_000_000L)), "field intermediate_size", "got 10000000000");
    assertRefused(model(config("num_attention_heads", 3)), "/config.json: hidden_size (16) is not a multiple");
    assertRefused(model(config("hidden_size", "32")), "field hidden_size must be an integer");
  }

  @Test
  void aConfigLargerThanTheMachineIsRefusedBeforeAllocating() throws IOException {
    Path model = model(dir -> {
      config("vocab_size", 1 << 24).accept(dir);
      try {
        ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        config.put("hidden_size", 65536).put("num_attention_heads", 1).put("num_hidden_layers", 1000)
            .put("intermediate_size", 1 << 20);
        write(dir.resolve("config.json"), JSON.writeValueAsBytes(config));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    assertRefused(model, "/config.json describes", "parameters", "of memory here; refused");
  }

  @Test
  void aConfigThatIsNotJsonIsOneLine() throws IOException {
    byte[] cut = "{\"vocab_size\": 5".getBytes(StandardCharsets.UTF_8);
    assertRefused(model(dir -> write(dir.resolve("config.json"), cut)), "/config.json is not valid JSON");
  }

  // ---- tokenizers ----

  @Test
  void aBrokenTokenizerIsOneLineNamingTheFile() throws IOException {
    byte[] tokenizer = Files.readAllBytes(fixture.resolve("tokenizer.json"));
    assertRefused(model(dir -> write(dir.resolve("tokenizer.json"), Arrays.copyOf(tokenizer, tokenizer.length / 2))),
        "/tokenizer.json is not valid JSON");
    assertRefused(model(dir -> write(dir.resolve("tokenizer.json"), "\u0000garbage".getBytes(StandardCharsets.UTF_8))),
        "/tokenizer.json is not valid JSON");
    assertRefused(model(dir -> write(dir.resolve("tokenizer.json"),
        "{\"model\":{\"type\":\"Nonsense\"}}".getBytes(StandardCharsets.UTF_8))),
        "/tokenizer.json is not a tokenizer the tokenizers library can load");
  }

  @Test
  void oversizedJsonFilesAreNotReadWhole() throws IOException {
    Path model = model(dir -> write(dir.resolve("config.json"), new byte[(16 << 20) + 1]));
    assertRefused(model, "/config.json is larger than 16777216 bytes");
  }
}
