package org.mlmspark.model.blocks;

import ai.djl.nn.Parameter;

/**
 * One trainable tensor under its Hugging Face checkpoint name.
 *
 * @param name       the checkpoint name, e.g. {@code roberta.encoder.layer.0.attention.self.query.weight}
 * @param parameter  the DJL parameter holding the values (and, while training, the gradient)
 * @param role       what kind of tensor it is: decides initialisation and weight decay
 * @param paddingRow for an embedding with {@code padding_idx}, the row HF initialises to zero; -1 otherwise
 */
public record NamedParameter(String name, Parameter parameter, Role role, int paddingRow) {

  /** The kinds HF's {@code _init_weights} and the Trainer's no-decay rule tell apart. */
  public enum Role {
    LINEAR_WEIGHT,
    EMBEDDING,
    NORM_WEIGHT,
    BIAS
  }
}
