package org.mlmspark.eli5;

import java.util.Locale;

/** Why an input record was not used; written with each rejected record and counted in the manifest. */
public enum RejectReason {
  INVALID_UTF8,
  MALFORMED_JSON,
  MISSING_FIELD,
  NULL_FIELD,
  WRONG_TYPE,
  EMPTY_ANSWERS,
  TEXT_TOO_LONG,
  /** The input line is longer than any record within {@code --max-text-chars} can be; rejected without parsing. */
  LINE_TOO_LONG,
  /** A JSON {@code \}u escape left half a surrogate pair: not text a tokenizer can take. */
  UNPAIRED_SURROGATE;

  /** The name used in {@code _rejects/} and the manifest. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
