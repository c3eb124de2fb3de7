package org.mlmspark.model.io;

/** A checkpoint whose tensors do not fit the model its config describes, or that cannot be read safely. */
public class CheckpointMismatchException extends IllegalStateException {
  public CheckpointMismatchException(String message) {
    super(message);
  }
}
