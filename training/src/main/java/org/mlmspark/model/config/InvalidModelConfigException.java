package org.mlmspark.model.config;

/** A config.json this project cannot build a model from; the message says what is wrong and what is supported. */
public class InvalidModelConfigException extends IllegalArgumentException {
  public InvalidModelConfigException(String message) {
    super(message);
  }

  /**
   * This refusal naming the file it came from: {@code source} replaces a leading {@code config.json}, or comes
   * first.
   */
  public InvalidModelConfigException naming(String source) {
    String message = getMessage();
    return new InvalidModelConfigException(message.startsWith("config.json")
        ? source + message.substring("config.json".length()) : source + ": " + message);
  }
}
