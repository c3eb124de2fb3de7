package org.mlmspark.pipeline;

/** Where a recorded run stands. */
public enum RunStatus {
  /** Working, or crashed while working (its lock then goes stale). */
  RUNNING,
  /** A step failed; the next invocation with the same input and settings resumes it. */
  FAILED,
  /** Finished: its model is (or was) the published one. */
  PUBLISHED,
  /** Finished: the evaluation gate kept the model that was published before. */
  REFUSED,
  /** Never finished; a later run with other input or settings replaced it. */
  SUPERSEDED;

  /** A run that decided what to publish for its input and settings. */
  public boolean finished() {
    return this == PUBLISHED || this == REFUSED;
  }

  /** A run a later invocation continues. */
  public boolean resumable() {
    return this == RUNNING || this == FAILED;
  }
}
