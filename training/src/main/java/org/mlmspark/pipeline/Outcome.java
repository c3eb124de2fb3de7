package org.mlmspark.pipeline;

/**
 * How a pipeline invocation ended, and the exit code a scheduler sees. "Up to date" exits 0 like a finished run:
 * cron and most schedulers treat any other code as a failure to alert on, and nothing failed; the last line
 * printed tells the two apart.
 */
public enum Outcome {
  /** Every step ran and the new model is published. */
  PUBLISHED(0),
  /** Input and settings are those of the last finished run: nothing to do. */
  UP_TO_DATE(0),
  /** A step failed; the run is recorded as failed and the next invocation resumes it. */
  STEP_FAILED(1),
  /** The config file or a flag is wrong, or an input is missing; nothing ran. */
  BAD_CONFIG(2),
  /** Another live run holds the lock of this output location; nothing ran. */
  LOCKED(3),
  /** Training and evaluation succeeded but the evaluation gate kept the published model. */
  REFUSED_BY_GATE(4);

  private final int exitCode;

  Outcome(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
