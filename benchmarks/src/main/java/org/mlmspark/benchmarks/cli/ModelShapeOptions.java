package org.mlmspark.benchmarks.cli;

import picocli.CommandLine.Option;

/**
 * The options of the benchmarks that time a model against HF PyTorch on the same shape: which model, how big a
 * batch, and the Python that runs the baseline.
 */
abstract class ModelShapeOptions {
  @Option(names = "--preset", defaultValue = "distilroberta-base", description = "model shape (default: ${DEFAULT-VALUE})")
  String preset;

  @Option(names = "--batch", defaultValue = "8", description = "samples per batch (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--seq", defaultValue = "128", description = "tokens per sample (default: ${DEFAULT-VALUE})")
  int seq;

  @Option(names = "--python", paramLabel = "EXE",
      description = "a python with torch and transformers for the HF baseline (default: $MLM_HF_PYTHON; none: skip)")
  String python = System.getenv("MLM_HF_PYTHON");
}
