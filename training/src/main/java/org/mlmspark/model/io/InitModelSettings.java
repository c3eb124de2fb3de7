package org.mlmspark.model.io;

/**
 * What {@code bin/init-model} writes: a model of {@code shape} with weights drawn from {@code seed}, saved with the
 * files of {@code tokenizer}.
 *
 * @param output the model directory to write (local or s3a://)
 * @param seed the initialisation seed
 * @param tokenizer a directory with tokenizer.json and tokenizer_config.json, or a hub id (offline, its bundled
 *     copy)
 */
public record InitModelSettings(Shape shape, String output, long seed, String tokenizer) {
  public InitModelSettings {
    if (shape == null || output == null || tokenizer == null) {
      throw new IllegalArgumentException("--preset or --config, --output and --tokenizer are required");
    }
  }

  /**
   * A named preset, sized for the tokenizer, or an HF config.json used as it is. Exactly one of the two is set.
   *
   * @param preset distilroberta-base, roberta-base, small or tiny
   * @param config an HF config.json
   */
  public record Shape(String preset, java.nio.file.Path config) {
    public Shape {
      if ((preset == null) == (config == null)) {
        throw new IllegalArgumentException("give either --preset or --config");
      }
    }

    public static Shape preset(String name) {
      return new Shape(name, null);
    }

    public static Shape config(java.nio.file.Path file) {
      return new Shape(null, file);
    }
  }
}
