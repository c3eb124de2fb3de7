package org.mlmspark.model.blocks;

/**
 * Where one encoder layer's tensors sit, relative to the layer ({@code ...layer.N.}): the only thing that differs
 * between the BERT-style layer ({@code attention.self.query}) and DistilBERT's ({@code attention.q_lin}).
 */
public record LayerNames(
    String query,
    String key,
    String value,
    String attentionDense,
    String attentionNorm,
    String intermediateDense,
    String outputDense,
    String outputNorm) {}
