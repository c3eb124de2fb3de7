package org.mlmspark.distributed;

/** A data-parallel run failed (not enough task slots, or a rank failed in every stage attempt Spark allowed). */
public class DataParallelException extends RuntimeException {
  public DataParallelException(String message) {
    super(message);
  }

  public DataParallelException(String message, Throwable cause) {
    super(message, cause);
  }
}
