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
import org.mlmspark.cli.Cli;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.ModelPresets;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.testing.TestData;

class InitModelCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void writesALoadableCheckpoint() throws Exception {
    Path out = tmp.resolve("fresh");
    assertEquals(0, Cli.run(new InitModelCommand(), "--preset", "tiny", "--output", out.toString(),
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
    assertEquals(2, Cli.run(new InitModelCommand(), new PrintWriter(err, true), "--config", config.toString(),
        "--output", out.toString()));
    assertEquals("error: unsupported model_type \"gpt2\"; supported: roberta, xlm-roberta, camembert, bert,"
        + " distilbert", err.toString().strip());
    assertFalse(Files.exists(out));
  }

  @Test
  void aPresetTakesTheVocabularyAndSpecialIdsOfTheTokenizerAndKeepsItsFiles() throws Exception {
    Path small = tmp.resolve("small-vocabulary");
    Files.createDirectories(small);
    Files.writeString(small.resolve("tokenizer.json"), "{\"added_tokens\": [{\"id\": 3, \"content\": \"<pad>\"},"
        + " {\"id\": 4, \"content\": \"<mask>\"}], \"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1,"
        + " \"c\": 2, \"<pad>\": 3, \"<mask>\": 4}}}");
    Files.writeString(small.resolve("tokenizer_config.json"), "{\"pad_token\": \"<pad>\", \"mask_token\": \"<mask>\"}");
    Path out = tmp.resolve("small");
    assertEquals(0, Cli.run(new InitModelCommand(), "--preset", "tiny", "--tokenizer", small.toString(),
        "--output", out.toString()));
    JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
    assertEquals(5, config.get("vocab_size").asInt());
    assertEquals(3, config.get("pad_token_id").asInt());
    for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
      assertArrayEquals(Files.readAllBytes(small.resolve(file)), Files.readAllBytes(out.resolve(file)), file);
    }
  }

  /** Without --tokenizer, distilroberta-base's: offline (as the tests run) its bundled copy, saved with the model. */
  @Test
  void withoutATokenizerItUsesDistilrobertaBaseAndSavesItsFiles() throws Exception {
    Path out = tmp.resolve("default");
    assertEquals(0, Cli.run(new InitModelCommand(), "--preset", "tiny", "--output", out.toString()));
    JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
    assertEquals(50265, config.get("vocab_size").asInt());
    assertEquals(1, config.get("pad_token_id").asInt());
    assertEquals(0, config.get("bos_token_id").asInt());
    assertEquals(2, config.get("eos_token_id").asInt());
    Path bundled = TestData.distilrobertaTokenizer();
    for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
      assertArrayEquals(Files.readAllBytes(bundled.resolve(file)), Files.readAllBytes(out.resolve(file)), file);
    }
  }

  @Test
  void aConfigFileThatCannotReadTheTokenizersIdsIsOneError() throws Exception {
    Path config = tmp.resolve("config.json");
    Files.write(config, ModelPresets.get("tiny").withTokenizerIds(50265, OptionalInt.of(50257), OptionalInt.empty(),
        OptionalInt.empty()).toJsonBytes());
    Path out = tmp.resolve("never");
    StringWriter err = new StringWriter();
    assertEquals(2, Cli.run(new InitModelCommand(), new PrintWriter(err, true), "--config", config.toString(),
        "--output", out.toString()));
    assertEquals("error: config.json has pad_token_id 50257 but the tokenizer's pad token is id 1",
        err.toString().strip());
    assertFalse(Files.exists(out));
  }

  /** A directory bin/init-model did not write (here a downloaded checkpoint's README) is refused, untouched. */
  @Test
  void refusesToReplaceADirectoryItDidNotWrite() throws Exception {
    Path out = tmp.resolve("pretrained");
    Files.createDirectories(out);
    Files.writeString(out.resolve("config.json"), "{}");
    Files.writeString(out.resolve("README.md"), "a downloaded model");
    StringWriter err = new StringWriter();
    assertEquals(2, Cli.run(new InitModelCommand(), new PrintWriter(err, true), "--preset", "tiny",
        "--output", out.toString()));
    assertEquals("error: refusing to replace --output " + out + ": it holds README.md, which bin/init-model did"
        + " not write", err.toString().strip());
    assertEquals("{}", Files.readString(out.resolve("config.json")));

    Path own = tmp.resolve("own");
    assertEquals(0, Cli.run(new InitModelCommand(), "--preset", "tiny", "--output", own.toString()));
    assertEquals(0, Cli.run(new InitModelCommand(), "--preset", "tiny", "--seed", "7", "--output", own.toString()),
        "its own earlier output is replaced");
  }
}
