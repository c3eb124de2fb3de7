package org.mlmspark.train.optim;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which parameters get weight decay, decided from HF parameter names as transformers 5's
 * {@code Trainer.get_decay_parameter_names} does: no decay for a parameter whose lower-cased name contains
 * "bias", "layernorm", "rmsnorm", a ".norm." component or a "_norm" suffix.
 *
 * <p>The Trainer also exempts every parameter of an {@code nn.LayerNorm} module whatever its name; in HF
 * checkpoints those modules are named {@code LayerNorm}, {@code layer_norm}, {@code *_layer_norm} or
 * {@code norm}, which the patterns already cover.
 */
public final class WeightDecayRule {
  private static final List<Pattern> NO_DECAY = List.of(
      Pattern.compile("bias"),
      Pattern.compile("layernorm"),
      Pattern.compile("rmsnorm"),
      Pattern.compile("(?:^|\\.)norm(?:$|\\.)"),
      Pattern.compile("_norm(?:$|\\.)"));

  private WeightDecayRule() {}

  public static boolean decays(String parameterName) {
    String name = parameterName.toLowerCase(java.util.Locale.ROOT);
    return NO_DECAY.stream().noneMatch(pattern -> pattern.matcher(name).find());
  }
}
