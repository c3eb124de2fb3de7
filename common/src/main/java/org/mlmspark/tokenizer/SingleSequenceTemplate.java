package org.mlmspark.tokenizer;

/**
 * What a post-processor adds around a single sequence's ids when special tokens are requested, as the guide's
 * {@code tokenizer(text)} does: RoBERTa's {@code <s> … </s>}, a TemplateProcessing's special tokens, or nothing
 * (ByteLevel, no post-processor).
 */
record SingleSequenceTemplate(int[] prefix, int[] suffix) {
  static final SingleSequenceTemplate NONE = new SingleSequenceTemplate(new int[0], new int[0]);

  /** This template applied inside {@code outer}, as a Sequence post-processor runs its steps in order. */
  SingleSequenceTemplate within(SingleSequenceTemplate outer) {
    return new SingleSequenceTemplate(concat(outer.prefix, prefix), concat(suffix, outer.suffix));
  }

  private static int[] concat(int[] a, int[] b) {
    int[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
