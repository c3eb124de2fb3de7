package org.mlmspark.train.data;

/**
 * A batch ready for a masked-LM forward pass, row-major {@code [batchSize, sequenceLength]} like the tensors
 * it becomes: the collator's {@code input_ids}, {@code attention_mask} and {@code labels}.
 *
 * @param labels the original id where the loss is computed, {@link #IGNORE_INDEX} elsewhere
 */
public record MaskedBatch(int batchSize, int sequenceLength, int[] inputIds, int[] attentionMask, int[] labels) {
  /** PyTorch's CrossEntropyLoss ignore_index: positions the loss skips. */
  public static final int IGNORE_INDEX = -100;

  public MaskedBatch {
    int size = Math.multiplyExact(batchSize, sequenceLength);
    if (inputIds.length != size || attentionMask.length != size || labels.length != size) {
      throw new IllegalArgumentException("a " + batchSize + " x " + sequenceLength + " batch needs " + size
          + " values per field, got " + inputIds.length + ", " + attentionMask.length + ", " + labels.length);
    }
  }

  /** The number of positions that carry a label: the loss is the mean over these (HF's num_items_in_batch). */
  public int labelCount() {
    int count = 0;
    for (int label : labels) {
      if (label != IGNORE_INDEX) {
        count++;
      }
    }
    return count;
  }
}
