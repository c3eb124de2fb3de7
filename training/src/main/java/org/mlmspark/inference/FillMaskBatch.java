package org.mlmspark.inference;

import java.util.List;

/**
 * A batch fill-mask job: the texts of {@code inputs} in, the input columns plus {@value FillMaskJob#PREDICTIONS}
 * and {@value FillMaskJob#ERROR} out. Values no run could use are refused here, with the flag's name.
 *
 * @param inputs files, directories or globs: JSON lines, Parquet, or plain text (one text per line)
 * @param output the output directory: results in {@value FillMaskJob#RESULTS}/, manifest.json written last
 * @param model HF hub id or model directory every executor can read (s3a://, hdfs://, a shared mount)
 * @param topK predictions per mask token
 * @param textColumn the column holding the texts
 * @param batchSize texts per forward pass
 */
public record FillMaskBatch(List<String> inputs, String output, String model, int topK, String textColumn,
    int batchSize, FillMaskJob.OutputFormat format) {

  public FillMaskBatch {
    inputs = List.copyOf(inputs);
    require(!inputs.isEmpty(), "--input needs at least one path");
    require(model != null, "--model is required");
    require(topK >= 1, "--top-k must be at least 1");
    require(output != null, "--input needs --output DIR for the results");
    require(batchSize >= 1, "--batch-size must be at least 1");
    require(textColumn != null && format != null, "--text-column and --format are required");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
