package org.mlmspark.tokenizer;

/** A tokenizer.json this project's Java encoder does not implement; the reason says which part. */
final class UnsupportedTokenizerException extends Exception {
  UnsupportedTokenizerException(String reason) {
    super(reason);
  }
}
