package org.mlmspark.preprocess.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlmspark.preprocess.PreprocessSettings;
import picocli.CommandLine;

/** bin/preprocess's flag defaults (parsed as Cli parses them) are the guide's: what bin/pipeline and the demo start from. */
class PreprocessCommandDefaultsTest {
  @Test
  void theFlagsDefaultToTheGuidesPreprocessing() {
    PreprocessCommand command = new PreprocessCommand();
    new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--input", "a.jsonl", "b.jsonl", "--output", "o");
    assertEquals(PreprocessSettings.guide(List.of("a.jsonl", "b.jsonl"), "o", PreprocessSettings.GUIDE_TOKENIZER),
        command.settings());
  }
}
