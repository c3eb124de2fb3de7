package org.mlmspark.model.io;

import java.util.List;

/**
 * What {@code from_pretrained} reports after loading: checkpoint tensors the model has no place for. (Model
 * tensors the checkpoint lacks are refused, not reported.)
 */
public record LoadReport(List<String> unused) {}
