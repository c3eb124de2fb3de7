package org.mlmspark.model.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.ModelPresets;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.testing.SharedFixtures;
import org.mlmspark.tokenizer.BuiltInTokenizer;

class InitModelCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void writesALoadableCheckpoint() throws Exception {
    Path out = tmp.resolve("fresh");
    assertEquals(0, Commands.run(new InitModelCommand(), "--preset", "tiny", "--output", out.toString(),
        "--seed", "1"));
    try (NDManager manager = NDManager.newBaseManager()) {
      Checkpoints.Loaded loaded = Checkpoints.load(
          ModelDirectory.resolve(out.toString(), new Configuration()), manager);
      assertTrue(loaded.report().unused().isEmpty());
      assertEquals(32, loaded.model().config().hiddenSize());
    }
  }

  @Test
  void badInputIsOneErrorAndNoOutput() throws Exception {
    Path config = tmp.resolve("config.json");
    Files.writeString(config, "{\"model_type\": \"gpt2\"}");
    Path out = tmp.resolve("never");
    StringWriter err = new StringWriter();
    assertEquals(2, Commands.run(new InitModelCommand(), new PrintWriter(err, true), "--config", config.toString(),
        "--output", out.toString()));
    assertEquals("error: unsupported model_type \"gpt2\"; supported: roberta, xlm-roberta, camembert, bert,"
        + " distilbert", err.toString().strip());
    assertFalse(Files.exists(out));
  }

  @Test
  void aPresetTakesTheVocabularyAndSpecialIdsOfTheTokenizerAndKeepsItsFiles() throws Exception {
    Path builtIn = BuiltInTokenizer.ROBERTA_LAYOUT.directory();
    Path out = tmp.resolve("small");
    assertEquals(0, Commands.run(new InitModelCommand(), "--preset", "tiny", "--tokenizer", builtIn.toString(),
        "--output", out.toString()));
    JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
    assertEquals(50261, config.get("vocab_size").asInt());
    assertEquals(1, config.get("pad_token_id").asInt());
    assertEquals(0, config.get("bos_token_id").asInt());
    assertEquals(2, config.get("eos_token_id").asInt());
    for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
      assertArrayEquals(Files.readAllBytes(builtIn.resolve(file)), Files.readAllBytes(out.resolve(file)), file);
    }

    Path roberta = SharedFixtures.require("tokenizers/distilroberta-base");
    Path real = tmp.resolve("real");
    assertEquals(0, Commands.run(new InitModelCommand(), "--preset", "tiny", "--tokenizer", roberta.toString(),
        "--output", real.toString()));
    assertEquals(50265, JSON.readTree(real.resolve("config.json").toFile()).get("vocab_size").asInt());
  }

  @Test
  void aConfigFileThatCannotReadTheTokenizersIdsIsOneError() throws Exception {
    Path config = tmp.resolve("config.json");
    Files.write(config, ModelPresets.get("tiny").withTokenizerIds(50261, OptionalInt.of(50257), OptionalInt.empty(),
        OptionalInt.empty()).toJsonBytes());
    Path out = tmp.resolve("never");
    StringWriter err = new StringWriter();
    assertEquals(2, Commands.run(new InitModelCommand(), new PrintWriter(err, true), "--config", config.toString(),
        "--tokenizer", BuiltInTokenizer.ROBERTA_LAYOUT.directory().toString(), "--output", out.toString()));
    assertEquals("error: config.json has pad_token_id 50257 but the tokenizer's pad token is id 1",
        err.toString().strip());
    assertFalse(Files.exists(out));
  }
}
