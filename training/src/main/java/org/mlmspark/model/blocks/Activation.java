package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import org.mlmspark.model.config.InvalidModelConfigException;

/** The activations of transformers' ACT2FN that this project implements, by their config.json names. */
public enum Activation {
  /** Exact GELU, x·Φ(x) with the error function (PyTorch's default, HF's "gelu"). */
  GELU("gelu"),
  RELU("relu");

  private final String configName;

  Activation(String configName) {
    this.configName = configName;
  }

  public NDArray apply(NDArray x) {
    return switch (this) {
      case GELU -> ai.djl.nn.Activation.gelu(x);
      case RELU -> ai.djl.nn.Activation.relu(x);
    };
  }

  public static Activation of(String configName) {
    for (Activation a : values()) {
      if (a.configName.equals(configName.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new InvalidModelConfigException("unsupported activation \"" + configName
        + "\"; supported: gelu, relu");
  }
}
