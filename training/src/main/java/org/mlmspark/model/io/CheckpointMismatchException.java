package org.mlmspark.model.io;

/**
 * A checkpoint whose tensors do not fit the model its config describes, or that cannot be read safely: bad input
 * (exit 2), as a bad flag is.
 */
public class CheckpointMismatchException extends IllegalArgumentException {
  public CheckpointMismatchException(String message) {
    super(message);
  }
}
