package org.mlmspark.model.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.mlmspark.cli.UserError;
import picocli.CommandLine;

/**
 * Runs a picocli command; expected failures (bad input, missing files, {@link UserError}s) print one line, not a
 * stack trace.
 */
public final class Commands {
  private Commands() {}

  public static int run(Object command, String... args) {
    return run(command, new PrintWriter(System.err, true), args);
  }

  public static int run(Object command, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(command).setErr(err).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof UserError userError) {
        line.getErr().println("error: " + userError.getMessage());
        return userError.exitCode();
      }
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof IOException
          || e instanceof UncheckedIOException) {
        line.getErr().println("error: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }
}
