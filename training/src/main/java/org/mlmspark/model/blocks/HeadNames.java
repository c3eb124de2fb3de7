package org.mlmspark.model.blocks;

/**
 * Where the masked-LM head's tensors sit, from the root of the checkpoint.
 *
 * @param dense   the transform before the vocabulary projection ({@code lm_head.dense})
 * @param norm    its LayerNorm ({@code lm_head.layer_norm})
 * @param bias    the vocabulary bias ({@code lm_head.bias}; HF ties the decoder's bias to it)
 * @param decoder the vocabulary projection weight, only stored when not tied to the word embeddings
 */
public record HeadNames(String dense, String norm, String bias, String decoder) {}
