package org.mlmspark.train.hub;

import java.util.Locale;

/** When a run pushes to the Hub, with HF's {@code hub_strategy} meanings. */
public enum HubStrategy {
  /** The final model, its tokenizer and model card, once training has ended. */
  END,
  /** Also each checkpoint's model and a draft card, as the checkpoint is written. */
  EVERY_SAVE,
  /** As {@link #EVERY_SAVE}, plus the whole checkpoint (optimizer state included) under {@code last-checkpoint/}. */
  CHECKPOINT;

  /** {@code end}, {@code every_save} or {@code checkpoint}, as HF spells them. */
  public static HubStrategy parse(String text) {
    for (HubStrategy strategy : values()) {
      if (strategy.name().equalsIgnoreCase(text.replace('-', '_'))) {
        return strategy;
      }
    }
    throw new IllegalArgumentException("--hub-strategy must be end, every_save or checkpoint, not '" + text + "'");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
