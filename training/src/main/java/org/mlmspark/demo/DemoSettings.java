package org.mlmspark.demo;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code bin/demo} runs: the sample through preprocess, init-model (without {@code model}), train and fill-mask.
 *
 * @param input ELI5 rows to train on
 * @param output a new or empty directory for blocks/, model-init/ (without {@code model}) and model/
 * @param tokenizer the tokenizer of a fresh model (hub id or directory); unused with {@code model}
 * @param preset the shape of a fresh model; unused with {@code model}
 * @param model a checkpoint (hub id or directory) to fine-tune with its own tokenizer, or null for a fresh model
 * @param learningRate the peak learning rate, or null for 1e-3 from scratch and the guide's 2e-5 with {@code model}
 * @param evalEvery evaluate on the test split every this many steps
 * @param topK predictions per mask
 * @param texts texts with a mask token for the trained model, or empty for {@link Demo#DEFAULT_TEXTS}
 */
public record DemoSettings(
    String input,
    Path output,
    String tokenizer,
    String preset,
    String model,
    long maxSteps,
    Double learningRate,
    long warmupSteps,
    int batchSize,
    long evalEvery,
    int topK,
    List<String> texts) {

  public DemoSettings {
    if (input == null || output == null || (model == null && (tokenizer == null || preset == null))) {
      throw new IllegalArgumentException("--input, --output and either --model or --tokenizer and --preset are"
          + " required");
    }
    if (learningRate == null) {
      learningRate = model != null ? 2e-5 : 1e-3;
    }
    texts = texts.isEmpty() ? Demo.DEFAULT_TEXTS : List.copyOf(texts);
  }
}
