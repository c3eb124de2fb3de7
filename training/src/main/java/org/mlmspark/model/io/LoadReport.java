package org.mlmspark.model.io;

import java.util.List;

/**
 * What {@code from_pretrained} reports after loading: checkpoint tensors the model has no place for, and model
 * tensors the checkpoint lacked (left at their fresh initial values).
 */
public record LoadReport(List<String> unused, List<String> missing) {
  public boolean complete() {
    return missing.isEmpty();
  }
}
