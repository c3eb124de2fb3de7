package org.mlmspark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.cli.Cli;
import org.mlmspark.pipeline.cli.PipelineCommand;
import org.mlmspark.testing.TestData;

/** bin/pipeline checks its whole chain before any step: a model that cannot resolve is exit 2, nothing run. */
class PipelineChainCheckTest {
  @TempDir Path dir;

  @Test
  void aModelThatCannotResolveFailsBeforePreprocessing() throws Exception {
    Path output = dir.resolve("out");
    Path config = dir.resolve("pipeline.properties");
    Files.writeString(config, String.join("\n",
        "pipeline.output = " + output,
        "preprocess.input = " + TestData.projectRoot().resolve("data/eli5-sample"),
        "preprocess.tokenizer = " + TestData.distilrobertaTokenizer(),
        "train.model = " + dir.resolve("no-such-model")));
    StringWriter err = new StringWriter();
    int code = Cli.run(PipelineCommand.commandSpec(), new PrintWriter(err, true), "--config", config.toString());
    assertEquals(2, code, err.toString());
    assertEquals(List.of("error: train.model = " + dir.resolve("no-such-model") + " cannot be used: model directory"
        + " not found: " + dir.resolve("no-such-model")), err.toString().lines().toList());
    assertFalse(Files.exists(output), "no step ran, no lock was taken");
  }
}
