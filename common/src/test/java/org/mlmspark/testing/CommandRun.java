package org.mlmspark.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.mlmspark.cli.Cli;

/** Runs a command in this JVM as a user would, capturing its exit code and what it printed to stderr. */
public record CommandRun(int exitCode, String stderr) {

  public static CommandRun of(Object command, String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream tee = new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8)) {
      System.setErr(tee);
      int exitCode = Cli.run(command, args);
      return new CommandRun(exitCode, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  /** The {@code error: ...} lines the command printed. */
  public java.util.List<String> errorLines() {
    return stderr.lines().filter(l -> l.startsWith("error: ")).toList();
  }

  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
