package org.mlmspark.distributed;

/** Thrown out of a barrier task, so the driver's error names the rank and stage attempt that failed. */
public class RankFailedException extends RuntimeException {
  public RankFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
