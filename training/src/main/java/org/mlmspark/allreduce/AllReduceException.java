package org.mlmspark.allreduce;

/**
 * A collective or the ring set-up failed: a peer closed, refused, timed out or disagreed. The message names the
 * peer and the step. A {@link java.util.concurrent.TimeoutException} cause marks a timeout. After this, the
 * {@link AllReduce} is closed: its streams are mid-message and cannot be resynchronised.
 */
public class AllReduceException extends RuntimeException {
  public AllReduceException(String message) {
    super(message);
  }

  public AllReduceException(String message, Throwable cause) {
    super(message, cause);
  }
}
