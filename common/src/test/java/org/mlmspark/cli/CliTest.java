package org.mlmspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One test per error class: its exit code, its exact one-line shape, and no stack frames unless --verbose. */
class CliTest {

  @Command(name = "sample")
  static final class Sample implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "PATH") String input;
    @Option(names = "--output", required = true, paramLabel = "DIR") String output;
    @Option(names = "--workers", paramLabel = "N") int workers = 1;
    @Option(names = "--learning-rate", paramLabel = "LR") double learningRate = 1e-4;
    RuntimeException toThrow;
    Exception checked;

    @Override
    public Integer call() throws Exception {
      if (checked != null) {
        throw checked;
      }
      if (toThrow != null) {
        throw toThrow;
      }
      return Cli.OK;
    }
  }

  private record Run(int code, List<String> lines) {
    boolean hasStackFrames() {
      return lines.stream().anyMatch(l -> l.trim().startsWith("at ") || l.startsWith("Caused by"));
    }
  }

  private static Run run(Sample command, String... args) {
    StringWriter err = new StringWriter();
    int code = Cli.run(command, new PrintWriter(err, true), args);
    return new Run(code, err.toString().lines().toList());
  }

  private static Run failing(RuntimeException e, String... extra) {
    Sample sample = new Sample();
    sample.toThrow = e;
    List<String> args = new java.util.ArrayList<>(List.of("--input", "a", "--output", "b"));
    args.addAll(List.of(extra));
    return run(sample, args.toArray(String[]::new));
  }

  @Test
  void success() {
    assertEquals(new Run(0, List.of()), run(new Sample(), "--input", "a", "--output", "b"));
  }

  @Test
  void unknownOptionIsNamedWithTheClosestFlagBeforeAMissingRequiredOne() {
    Run run = run(new Sample(), "--inptu", "x", "--output", "y");
    assertEquals(new Run(2, List.of("error: unknown option --inptu (did you mean --input?)")), run);
  }

  @Test
  void unknownOptionWithValueAndNoNearFlag() {
    Run run = run(new Sample(), "--input", "x", "--output", "y", "--zzzzzzzzzz=3");
    assertEquals(new Run(2, List.of("error: unknown option --zzzzzzzzzz")), run);
  }

  @Test
  void negativeNumberValuesAreNotOptions() {
    Run run = run(new Sample(), "--input", "x", "--output", "y", "--learning-rate", "-1e-3");
    assertEquals(0, run.code());
  }

  @Test
  void badValueIsOneLine() {
    Run run = run(new Sample(), "--input", "x", "--output", "y", "--workers", "many");
    assertEquals(2, run.code());
    assertEquals(1, run.lines().size(), run.lines().toString());
    assertTrue(run.lines().get(0).startsWith("error: Invalid value for option '--workers': 'many'"), run.lines().get(0));
  }

  @Test
  void missingRequiredOptionIsOneLine() {
    Run run = run(new Sample(), "--output", "y");
    assertEquals(new Run(2, List.of("error: Missing required option: '--input=PATH'")), run);
  }

  @Test
  void userErrorKeepsItsMessageAndCode() {
    assertEquals(new Run(2, List.of("error: no such data: x")), failing(new UserError("no such data: x")));
    assertEquals(new Run(3, List.of("error: lock held")), failing(new UserError("lock held", Cli.LOCK_HELD, null)));
  }

  @Test
  void userErrorWrappedBySparkIsStillOneLine() {
    Run run = failing(new RuntimeException("Job aborted", new UserError("too many rejects", Cli.FAILED, null)));
    assertEquals(new Run(1, List.of("error: too many rejects")), run);
  }

  @Test
  void badInputIsUsage() {
    assertEquals(new Run(2, List.of("error: --block-size must be positive")),
        failing(new IllegalArgumentException("--block-size must be positive")));
    Sample sample = new Sample();
    sample.checked = new NoSuchFileException("/no/such/model/config.json");
    assertEquals(new Run(2, List.of("error: no such file: /no/such/model/config.json")),
        run(sample, "--input", "a", "--output", "b"));
  }

  @Test
  void aFailedRunIsOneLineExitOne() {
    Sample sample = new Sample();
    sample.checked = new IOException("No space left on device");
    assertEquals(new Run(1, List.of("error: IOException: No space left on device")),
        run(sample, "--input", "a", "--output", "b"));
  }

  @Test
  void aBugIsOneLinePlusHowToReportIt() {
    Run run = failing(new NullPointerException("Cannot read field \"x\""));
    assertEquals(new Run(1, List.of("error: NullPointerException: Cannot read field \"x\"", Cli.REPORT)), run);
    assertFalse(run.hasStackFrames());
  }

  @Test
  void verboseShowsTheStackTrace() {
    Run run = failing(new NullPointerException("boom"), "--verbose");
    assertEquals(1, run.code());
    assertEquals("error: NullPointerException: boom", run.lines().get(0));
    assertTrue(run.hasStackFrames(), run.lines().toString());
    Run user = failing(new UserError("bad"), "--verbose");
    assertEquals(2, user.code());
    assertTrue(user.hasStackFrames());
  }

  @Test
  void closestFlag() {
    List<String> known = List.of("--input", "--output", "--workers", "--learning-rate");
    assertEquals("--input", UnknownOption.closest("--inptu", known));
    assertEquals("--learning-rate", UnknownOption.closest("--learningrate", known));
    assertEquals(null, UnknownOption.closest("--seed", known));
  }
}
