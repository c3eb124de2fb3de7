package org.mlmspark.preprocess;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What {@code group_texts} concatenates before cutting blocks. */
public enum GroupBy {
  /** The guide: consecutive batches of {@code --batch-rows} (1,000) rows per split, in input order. */
  BATCH,
  /** Every Spark input partition per split: far fewer dropped remainders, blocks differ from the guide's. */
  PARTITION;

  @JsonValue
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
