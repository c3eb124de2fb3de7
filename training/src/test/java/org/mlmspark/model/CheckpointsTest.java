package org.mlmspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.hub.FakeHub;
import org.mlmspark.hub.HubClient;
import org.mlmspark.hub.HubSettings;
import org.mlmspark.model.blocks.NamedParameter;
import org.mlmspark.model.io.CheckpointMismatchException;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.LoadReport;
import org.mlmspark.model.io.ModelDirectory;

class CheckpointsTest {
  private static NDManager manager;
  private static MaskedLmModel fixtureModel;
  @TempDir Path tmp;

  @BeforeAll
  static void load() throws IOException {
    manager = NDManager.newBaseManager();
    fixtureModel = TinyRoberta.load(manager).model();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void saveThenReloadIsBitIdentical() throws IOException {
    Path out = tmp.resolve("saved");
    Checkpoints.save(fixtureModel, TinyRoberta.modelDirectory(), hadoop(out), new Configuration());
    try (NDManager m = NDManager.newBaseManager()) {
      Checkpoints.Loaded reloaded = Checkpoints.load(directory(out), m);
      assertTrue(reloaded.report().unused().isEmpty());
      List<NamedParameter> before = fixtureModel.namedParameters();
      List<NamedParameter> after = reloaded.model().namedParameters();
      assertEquals(before.size(), after.size());
      for (int i = 0; i < before.size(); i++) {
        assertEquals(before.get(i).name(), after.get(i).name());
        assertArrayEquals(bits(before.get(i)), bits(after.get(i)), before.get(i).name());
      }
    }
  }

  @Test
  void savedDirectoryLooksLikeSavePretrained() throws IOException {
    Path out = tmp.resolve("saved");
    Checkpoints.save(fixtureModel, TinyRoberta.modelDirectory(), hadoop(out), new Configuration());
    Path fixture = TinyRoberta.dir().resolve("model");
    assertEquals(header(fixture.resolve("model.safetensors")), header(out.resolve("model.safetensors")));
    try (var files = Files.list(out)) {
      assertEquals(List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    try (var siblings = Files.list(tmp)) {
      assertEquals(List.of("saved"), siblings.map(p -> p.getFileName().toString()).toList(), "no staging left");
    }
    assertEquals(TinyRoberta.JSON.readTree(fixture.resolve("config.json").toFile()),
        TinyRoberta.JSON.readTree(out.resolve("config.json").toFile()));
  }

  @Test
  void savingOverAnExistingDirectoryReplacesIt() throws IOException {
    Path out = tmp.resolve("saved");
    Files.createDirectories(out);
    Files.writeString(out.resolve("stale.txt"), "old");
    Checkpoints.save(fixtureModel, null, hadoop(out), new Configuration());
    assertFalse(Files.exists(out.resolve("stale.txt")));
    assertTrue(Files.exists(out.resolve("model.safetensors")));
  }

  @Test
  void reportsUnusedTensorsLikeFromPretrained() throws IOException {
    NDList tensors = fixtureTensors();
    tensors.add(named(manager.zeros(new Shape(32, 32)), "roberta.pooler.dense.weight"));
    tensors.add(named(manager.zeros(new Shape(50265, 32)), "lm_head.decoder.weight")); // tied copy: not unused
    Path dir = writeCheckpoint(tensors);
    try (NDManager m = NDManager.newBaseManager()) {
      LoadReport report = Checkpoints.load(directory(dir), m).report();
      assertEquals(List.of("roberta.pooler.dense.weight"), report.unused());
    }
  }

  @Test
  void aMissingParameterIsRefusedNotLeftRandom() throws IOException {
    NDList tensors = fixtureTensors();
    tensors.removeIf(a -> a.getName().equals("lm_head.bias"));
    Path dir = writeCheckpoint(tensors);
    try (NDManager m = NDManager.newBaseManager()) {
      CheckpointMismatchException e =
          assertThrows(CheckpointMismatchException.class, () -> Checkpoints.load(directory(dir), m));
      assertTrue(e.getMessage().contains("lacks 1 of the") && e.getMessage().contains("(lm_head.bias)"),
          e.getMessage());
    }
  }

  @Test
  void shapeMismatchFailsNamingTheTensor() throws IOException {
    NDList tensors = fixtureTensors();
    tensors.removeIf(a -> a.getName().equals("lm_head.dense.weight"));
    tensors.add(named(manager.zeros(new Shape(32, 16)), "lm_head.dense.weight"));
    Path dir = writeCheckpoint(tensors);
    try (NDManager m = NDManager.newBaseManager()) {
      CheckpointMismatchException e =
          assertThrows(CheckpointMismatchException.class, () -> Checkpoints.load(directory(dir), m));
      assertTrue(e.getMessage().contains("lm_head.dense.weight: checkpoint (32, 16), model (16, 16)"),
          e.getMessage());
    }
  }

  @Test
  void loadsShardedCheckpoints() throws IOException {
    NDList tensors = fixtureTensors();
    Path dir = tmp.resolve("sharded");
    Files.createDirectories(dir);
    Files.copy(TinyRoberta.dir().resolve("model/config.json"), dir.resolve("config.json"));
    ObjectNode index = TinyRoberta.JSON.createObjectNode();
    ObjectNode weightMap = index.putObject("weight_map");
    NDList[] shards = {new NDList(), new NDList()};
    for (int i = 0; i < tensors.size(); i++) {
      String file = "model-0000" + (i % 2 + 1) + "-of-00002.safetensors";
      shards[i % 2].add(tensors.get(i));
      weightMap.put(tensors.get(i).getName(), file);
    }
    for (int s = 0; s < 2; s++) {
      try (OutputStream out = Files.newOutputStream(dir.resolve("model-0000" + (s + 1) + "-of-00002.safetensors"))) {
        shards[s].encode(out, NDList.Encoding.SAFETENSORS);
      }
    }
    TinyRoberta.JSON.writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
    try (NDManager m = NDManager.newBaseManager()) {
      Checkpoints.Loaded loaded = Checkpoints.load(directory(dir), m);
      NamedParameter first = loaded.model().namedParameters().get(0);
      NamedParameter expected = fixtureModel.namedParameters().get(0);
      assertArrayEquals(bits(expected), bits(first));
    }
  }

  @Test
  void refusesPickleCheckpoints() throws IOException {
    Path dir = tmp.resolve("pickle");
    Files.createDirectories(dir);
    Files.copy(TinyRoberta.dir().resolve("model/config.json"), dir.resolve("config.json"));
    Files.write(dir.resolve("pytorch_model.bin"), new byte[] {0});
    try (NDManager m = NDManager.newBaseManager()) {
      CheckpointMismatchException e =
          assertThrows(CheckpointMismatchException.class, () -> Checkpoints.load(directory(dir), m));
      assertTrue(e.getMessage().contains("pickle") && e.getMessage().contains("save_pretrained"), e.getMessage());
    }
  }

  @Test
  void truncatedWeightsFailNamingTheFile() throws IOException {
    Path dir = tmp.resolve("truncated");
    Files.createDirectories(dir);
    Path source = TinyRoberta.dir().resolve("model");
    Files.copy(source.resolve("config.json"), dir.resolve("config.json"));
    byte[] weights = Files.readAllBytes(source.resolve("model.safetensors"));
    Files.write(dir.resolve("model.safetensors"), Arrays.copyOf(weights, weights.length / 2));
    try (NDManager m = NDManager.newBaseManager()) {
      CheckpointMismatchException e =
          assertThrows(CheckpointMismatchException.class, () -> Checkpoints.load(directory(dir), m));
      assertTrue(e.getMessage().contains("/model.safetensors is not a valid safetensors file: the file ends early")
          || e.getMessage().contains("/model.safetensors is not a valid safetensors file: the tensors cover"),
          e.getMessage());
    }
  }

  @Test
  void hubIdsAreDownloadedIntoTheHfCacheAndLoadOfflineAfterwards() throws IOException {
    Path source = TinyRoberta.dir().resolve("model");
    try (FakeHub hub = new FakeHub()) {
      for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
        hub.file("org/tiny-roberta", file, Files.readAllBytes(source.resolve(file)), file.endsWith(".safetensors"));
      }
      Configuration conf = new Configuration();
      ModelDirectory online = ModelDirectory.resolve("org/tiny-roberta", conf, hubClient(hub.endpoint(), false));
      assertTrue(online.root().toString().contains("models--org--tiny-roberta/snapshots/" + hub.commit),
          online.root().toString());
      ModelDirectory offline = ModelDirectory.resolve("org/tiny-roberta", conf, hubClient(hub.endpoint(), true));
      try (NDManager m = NDManager.newBaseManager()) {
        Checkpoints.Loaded loaded = Checkpoints.load(offline, m);
        assertTrue(loaded.report().unused().isEmpty());
        NamedParameter first = loaded.model().namedParameters().get(0);
        assertArrayEquals(bits(fixtureModel.namedParameters().get(0)), bits(first), first.name());
      }
      assertTrue(offline.has("tokenizer.json"));
    }
  }

  @Test
  void unresolvableModelSpecsSayWhy() throws IOException {
    Configuration conf = new Configuration();
    try (FakeHub hub = new FakeHub()) {
      IOException missing = assertThrows(IOException.class,
          () -> ModelDirectory.resolve("no-such-model-xyz", conf, hubClient(hub.endpoint(), false)));
      assertTrue(missing.getMessage().contains("no-such-model-xyz"), missing.getMessage());
    }
    IOException path = assertThrows(IOException.class,
        () -> ModelDirectory.resolve(tmp.resolve("absent/dir").toString(), conf));
    assertTrue(path.getMessage().contains("not found"), path.getMessage());
  }

  private HubClient hubClient(URI endpoint, boolean offline) {
    return new HubClient(new HubSettings(endpoint, tmp.resolve("hf-cache"), Optional.empty(), offline,
        Duration.ofSeconds(5), Duration.ofSeconds(5), Optional.empty()));
  }

  private NDList fixtureTensors() throws IOException {
    try (InputStream in = Files.newInputStream(TinyRoberta.dir().resolve("model/model.safetensors"))) {
      return NDList.decode(manager, in);
    }
  }

  private Path writeCheckpoint(NDList tensors) throws IOException {
    Path dir = tmp.resolve("ckpt");
    Files.createDirectories(dir);
    Files.copy(TinyRoberta.dir().resolve("model/config.json"), dir.resolve("config.json"));
    try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
      tensors.encode(out, NDList.Encoding.SAFETENSORS);
    }
    return dir;
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }

  static int[] bits(NamedParameter p) {
    float[] values = p.parameter().getArray().toFloatArray();
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  /** The safetensors header: tensor name → dtype and shape (offsets differ with layout, values are checked above). */
  static Map<String, String> header(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    JsonNode json = TinyRoberta.JSON.readTree(new String(bytes, 8, (int) length, java.nio.charset.StandardCharsets.UTF_8));
    Map<String, String> out = new TreeMap<>();
    json.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("__metadata__")) {
        out.put(e.getKey(), e.getValue().get("dtype").asText() + e.getValue().get("shape"));
      }
    });
    return out;
  }

  private static org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toUri());
  }

  private static ModelDirectory directory(Path path) throws IOException {
    return ModelDirectory.of(hadoop(path), new Configuration());
  }
}
