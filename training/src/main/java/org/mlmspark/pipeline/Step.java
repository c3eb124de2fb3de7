package org.mlmspark.pipeline;

/** The pipeline's steps, in the order they run. */
public enum Step {
  PREPROCESS,
  TRAIN,
  EVALUATE,
  PUBLISH
}
