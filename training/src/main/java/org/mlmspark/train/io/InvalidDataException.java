package org.mlmspark.train.io;

/** Training data that cannot be used as it is; the message says what is wrong and where. */
public final class InvalidDataException extends IllegalArgumentException {
  public InvalidDataException(String message) {
    super(message);
  }
}
