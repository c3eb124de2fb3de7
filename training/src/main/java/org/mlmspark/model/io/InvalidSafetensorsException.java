package org.mlmspark.model.io;

/** A file that breaks a rule of the safetensors format; the message names the file and the rule. */
public class InvalidSafetensorsException extends CheckpointMismatchException {
  public InvalidSafetensorsException(String message) {
    super(message);
  }
}
