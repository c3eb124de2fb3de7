package org.mlmspark.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.cli.Cli;
import org.mlmspark.inference.cli.FillMaskCommand;
import org.mlmspark.testing.TestData;

/** One command, two modes: texts print pipeline JSON; --input runs the batch job; anything else one error line. */
class FillMaskCommandTest {
  private static String model;

  @BeforeAll
  static void fixture() {
    model = TestData.require("fixtures/hf/tiny-roberta/model").toString();
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int code = Cli.run(new FillMaskCommand(), new PrintWriter(err, true), args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(original);
    }
  }

  private static void assertOneError(Run run, String message) {
    assertEquals(2, run.code(), run.err());
    assertEquals(List.of("error: " + message), run.err().lines().toList());
    assertEquals("", run.out());
  }

  @Test
  void textsPrintOneJsonArrayEach() {
    Run run = run("--model", model, "--top-k", "2", "The Milky Way is a <mask> galaxy.", "A <mask> and a <mask>.");
    assertEquals(0, run.code(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(2, lines.size());
    assertEquals(true, lines.get(0).startsWith("[{\"score\":"), lines.get(0));
    assertEquals(true, lines.get(1).startsWith("[[{\"score\":"), lines.get(1));
  }

  @Test
  void neitherTextsNorInputIsOneError() {
    assertOneError(run("--model", model),
        "nothing to fill in: give TEXT arguments, or --input PATH --output DIR for a batch job");
  }

  @Test
  void textsAndInputTogetherAreOneError() {
    assertOneError(run("--model", model, "--input", "in.jsonl", "--output", "out", "The <mask>."),
        "give either TEXT arguments or --input files, not both (with --input the texts come from the files;"
            + " unexpected: The <mask>.)");
  }

  @Test
  void batchOptionsWithoutInputAreOneError() {
    assertOneError(run("--model", model, "--format", "json", "--output", "out", "The <mask>."),
        "--output, --format only go with --input (batch mode)");
  }

  @Test
  void inputWithoutOutputIsOneError() {
    assertOneError(run("--model", model, "--input", "in.jsonl"), "--input needs --output DIR for the results");
  }

  @Test
  void missingModelIsOneError(@TempDir Path tmp) throws IOException {
    Path input = Files.writeString(tmp.resolve("in.jsonl"), "{\"text\": \"The <mask>.\"}\n");
    Path missing = tmp.resolve("no-model");
    assertOneError(run("--model", missing.toString(), "--input", input.toString(), "--output",
        tmp.resolve("out").toString()), "cannot load model " + missing + ": model directory not found: " + missing);
    assertEquals(false, Files.exists(tmp.resolve("out")));
  }

  @Test
  void modelWithoutTokenizerFailsOnTheTokenizerBeforeTheWeights(@TempDir Path tmp) throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("no-tokenizer"));
    Files.copy(Path.of(model, "config.json"), dir.resolve("config.json"));
    Files.writeString(dir.resolve("model.safetensors"), "not read: the tokenizer is checked first");
    assertOneError(run("--model", dir.toString(), "The <mask>."), "no tokenizer.json in model directory file:" + dir);
  }

  @Test
  void missingInputIsOneError() {
    Path missing = Path.of(System.getProperty("java.io.tmpdir"), "no-such-fill-mask-input.jsonl");
    assertOneError(run("--model", model, "--input", missing.toString(), "--output", "out"),
        "input not found: " + missing);
  }
}
