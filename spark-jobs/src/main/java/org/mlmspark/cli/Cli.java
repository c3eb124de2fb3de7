package org.mlmspark.cli;

import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Runs a picocli command the way every bin/ command behaves: bad flags and {@link UserError}s print one
 * {@code error: ...} line (no stack trace) and exit non-zero; unexpected failures also print one line, with the
 * stack trace kept at debug level in the log.
 */
public final class Cli {
  private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

  private Cli() {}

  /** @return the process exit code */
  public static int run(Object command, String... args) {
    CommandLine commandLine = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setParameterExceptionHandler(
        (e, arguments) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println("error: " + e.getMessage());
          err.println("Run with --help for the flags.");
          return UserError.USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          PrintWriter err = cmd.getErr();
          if (e instanceof UserError userError) {
            err.println("error: " + userError.getMessage());
            return userError.exitCode();
          }
          LOG.debug("command failed", e);
          err.println("error: " + describe(e));
          return UserError.FAILED;
        });
    return commandLine.execute(args);
  }

  /** The innermost message, which usually names the real problem (Spark wraps task failures several times). */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
    return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
