package org.mlmspark.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import org.mlmspark.model.MaskedLmLoss;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.train.data.BlockDataset;
import org.mlmspark.train.data.MaskedBatch;
import org.mlmspark.train.data.MlmMasking;

/**
 * HF Trainer's {@code evaluate()} for masked LM: the test blocks in order, in batches, masked by the same collator,
 * eval mode; eval_loss is the mean of the batches' mean losses weighted by batch size (HF repeats each batch's loss
 * batch-size times before averaging), and the top-1 accuracy on the masked positions. The masks are those of a
 * fixed pseudo-epoch, the same at every evaluation, so evaluations of one run differ only by the model.
 */
public final class Evaluator {
  /** The masking epoch of evaluation; training epochs count from 0, so its masks are never used for training. */
  static final int EVAL_EPOCH = -1;

  private final MaskedLmModel model;
  private final NDManager manager;
  private final BlockDataset test;
  private final MlmMasking masking;
  private final int batchSize;

  public Evaluator(MaskedLmModel model, NDManager manager, BlockDataset test, MlmMasking masking, int batchSize) {
    this.model = model;
    this.manager = manager;
    this.test = test;
    this.masking = masking;
    this.batchSize = batchSize;
  }

  /**
   * eval_loss and the masked-token accuracy.
   *
   * @param loss     HF's eval_loss (batch means weighted by batch size)
   * @param accuracy top-1 accuracy over every labelled position of the split, as transformers' run_mlm.py
   *                 computes its eval_accuracy (argmax of the logits against the labels where the label is set)
   */
  public record Result(double loss, double accuracy) {}

  public Result evaluate() {
    double weighted = 0;
    long samples = 0;
    long correct = 0;
    long labelled = 0;
    for (int start = 0; start < test.size(); start += batchSize) {
      int[] indexes = rangeOf(start, Math.min(test.size(), start + batchSize));
      MaskedBatch batch = masking.collate(test.blocks(indexes), test.wordStarts(indexes), indexes, EVAL_EPOCH);
      if (batch.labelCount() == 0) {
        continue; // HF's loss would be NaN here; a batch with nothing to predict says nothing
      }
      try (NDManager scope = manager.newSubManager()) {
        NDList scored = DeviceBatch.upload(scope, batch).labelledLogits(model, false);
        NDArray logits = scored.get(0);
        NDArray labels = scored.get(1);
        float loss = MaskedLmLoss.crossEntropy(logits, labels).getFloat();
        weighted += (double) loss * batch.batchSize();
        samples += batch.batchSize();
        correct += logits.argMax(-1).toType(DataType.INT64, false).eq(labels.toType(DataType.INT64, false))
            .sum().getLong();
        labelled += labels.size();
      }
    }
    return new Result(samples == 0 ? Double.NaN : weighted / samples,
        labelled == 0 ? Double.NaN : (double) correct / labelled);
  }

  private static int[] rangeOf(int from, int to) {
    int[] indexes = new int[to - from];
    Arrays.setAll(indexes, i -> from + i);
    return indexes;
  }
}
