package org.mlmspark.cli;

/**
 * A failure the user can fix (bad input, missing file, too many rejects): the command prints its message as one
 * line and exits with {@link #exitCode()}, without a stack trace.
 */
public class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Invalid usage or input found before any work started. */
  public static final int USAGE = Cli.USAGE;
  /** The job ran and refused to produce output (e.g. too many rejected records). */
  public static final int FAILED = Cli.FAILED;

  private final int exitCode;

  public UserError(String message) {
    this(message, USAGE, null);
  }

  public UserError(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
