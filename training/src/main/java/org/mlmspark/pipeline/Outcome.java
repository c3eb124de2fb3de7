package org.mlmspark.pipeline;

import org.mlmspark.cli.Cli;

/**
 * How a pipeline invocation ended, and the exit code a scheduler sees. "Up to date" exits 0 like a finished run:
 * cron and most schedulers treat any other code as a failure to alert on, and nothing failed; the last line
 * printed tells the two apart.
 */
public enum Outcome {
  /** Every step ran and the new model is published. */
  PUBLISHED(Cli.OK),
  /** Input and settings are those of the last finished run: nothing to do. */
  UP_TO_DATE(Cli.OK),
  /** A step failed; the run is recorded as failed and the next invocation resumes it. */
  STEP_FAILED(Cli.FAILED),
  /** The config file or a flag is wrong, or an input is missing; nothing ran. */
  BAD_CONFIG(Cli.USAGE),
  /** Another live run holds the lock of this output location; nothing ran. */
  LOCKED(Cli.LOCK_HELD),
  /** Training and evaluation succeeded but the evaluation gate kept the published model. */
  REFUSED_BY_GATE(Cli.GATE_KEPT);

  private final int exitCode;

  Outcome(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
