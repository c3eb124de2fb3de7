package org.mlmspark.train;

/** Where a run reports its metrics besides its own files (HF TrainingArguments.report_to). */
public enum ReportTo {
  /** TensorBoard event files under OUTPUT/runs/ (written by train.io's {@code TensorBoardLog}). */
  TENSORBOARD,
  /** Nothing else: HF's default. */
  NONE
}
