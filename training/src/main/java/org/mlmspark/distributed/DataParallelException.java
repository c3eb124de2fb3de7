package org.mlmspark.distributed;

import org.mlmspark.cli.Cli;
import org.mlmspark.cli.UserError;

/**
 * A data-parallel run failed (a rank failed in every stage attempt Spark allowed), or could not start (too few
 * task slots, a setting Spark refuses): one line, no stack trace.
 */
public class DataParallelException extends UserError {
  public DataParallelException(String message) {
    this(message, Cli.FAILED);
  }

  public DataParallelException(String message, int exitCode) {
    super(message, exitCode, null);
  }

  public DataParallelException(String message, Throwable cause) {
    super(message, Cli.FAILED, cause);
  }
}
