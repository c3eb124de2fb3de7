package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.preprocess.cli.PreprocessCommand;
import org.mlmspark.testing.CommandRun;
import org.mlmspark.testing.TestData;

/** Mistakes a user makes get one {@code error:} line and a non-zero exit, found before any Spark work. */
class CommandErrorsTest {
  @TempDir Path tmp;

  private static void assertOneError(CommandRun run, int exitCode, String expected) {
    assertEquals(exitCode, run.exitCode(), run.stderr());
    assertEquals(1, run.errorLines().size(), run.stderr());
    assertTrue(run.errorLines().get(0).contains(expected), run.errorLines().get(0));
    assertTrue(run.stderr().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + run.stderr());
  }

  private CommandRun preprocess(String... args) {
    return CommandRun.of(new PreprocessCommand(), args);
  }

  private String sample() {
    return TestData.require("data/eli5_category_sample").toString();
  }

  @Test
  void missingInput() {
    assertOneError(
        preprocess("--input", tmp.resolve("nothing-here.jsonl").toString(), "--output", tmp.resolve("o").toString()),
        2, "input not found");
    assertOneError(preprocess("--input", tmp + "/*.parquet", "--output", tmp.resolve("o").toString()), 2, "input not found");
  }

  @Test
  void unreadableTokenizer() throws IOException {
    Path garbage = Files.writeString(tmp.resolve("tokenizer.json"), "{\"model\": 7}");
    assertOneError(
        preprocess("--input", sample(), "--output", tmp.resolve("o").toString(), "--tokenizer", garbage.toString()),
        2, "cannot use tokenizer");
    assertOneError(
        preprocess("--input", sample(), "--output", tmp.resolve("o").toString(), "--tokenizer", tmp.resolve("none").toString()),
        2, "cannot use tokenizer");
  }

  @Test
  void badFlags() {
    String out = tmp.resolve("o").toString();
    assertOneError(preprocess("--input", sample(), "--output", out, "--test-size", "1.5"), 2, "--test-size");
    assertOneError(preprocess("--input", sample(), "--output", out, "--group-by", "rows"), 2, "--group-by");
    assertOneError(preprocess("--input", sample(), "--output", out, "--limit", "0"), 2, "--limit");
    assertOneError(preprocess("--input", sample(), "--output", out, "--frobnicate"), 2, "--frobnicate");
    assertOneError(preprocess("--output", out), 2, "--input");
  }

  @Test
  void neverReplacesADirectoryItDidNotWrite() throws IOException {
    Path mine = Files.createDirectories(tmp.resolve("home"));
    Files.writeString(mine.resolve("notes.txt"), "precious");
    assertOneError(
        preprocess("--input", sample(), "--output", mine.toString(),
            "--tokenizer", TestData.distilrobertaTokenizer().toString()),
        2, "refusing to replace");
    assertEquals("precious", Files.readString(mine.resolve("notes.txt")));
  }
}
