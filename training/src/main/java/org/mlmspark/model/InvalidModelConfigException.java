package org.mlmspark.model;

/** A config.json this project cannot build a model from; the message says what is wrong and what is supported. */
public class InvalidModelConfigException extends IllegalArgumentException {
  public InvalidModelConfigException(String message) {
    super(message);
  }
}
