package org.mlmspark.inference;

import org.mlmspark.hub.HubSettings;

/**
 * Fill-mask over texts in this JVM, as {@code pipeline("fill-mask", model=model)(text, top_k=topK)}.
 *
 * @param model HF hub id or model directory (local, s3a://, hdfs://)
 * @param topK predictions per mask token
 * @param hub the endpoint and token for a hub id, or null for the environment's (HF_ENDPOINT, HF_TOKEN, ...)
 */
public record FillMaskRun(String model, int topK, HubSettings hub) {
  public FillMaskRun {
    if (model == null) {
      throw new IllegalArgumentException("--model is required");
    }
    if (topK < 1) {
      throw new IllegalArgumentException("--top-k must be at least 1");
    }
  }
}
