package org.mlmspark.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;

class InitModelCommandTest {
  @TempDir Path tmp;

  @Test
  void writesALoadableCheckpoint() throws Exception {
    Path out = tmp.resolve("fresh");
    assertEquals(0, Commands.run(new InitModelCommand(), "--preset", "tiny", "--output", out.toString(),
        "--seed", "1"));
    try (NDManager manager = NDManager.newBaseManager()) {
      Checkpoints.Loaded loaded = Checkpoints.load(
          ModelDirectory.resolve(out.toString(), new Configuration()), manager);
      assertTrue(loaded.report().complete());
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
}
