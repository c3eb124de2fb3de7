package org.mlmspark.pipeline;

/**
 * What a run's result depends on, as hashes: equal keys mean a rerun would produce the same thing.
 *
 * @param inputFingerprint the input files' paths, sizes and modification times (as the preprocess manifest has it)
 * @param data input, preprocessing settings and tokenizer: names the preprocessed data
 * @param run {@code data} plus the training settings, the base model and the evaluation gate
 */
public record RunKey(String inputFingerprint, String data, String run) {}
