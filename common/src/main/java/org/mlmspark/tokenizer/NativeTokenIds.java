package org.mlmspark.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Token ids from HF's own Rust tokenizer through DJL, for tokenizer.json shapes the Java encoder does not
 * implement, and as the reference it is tested and benchmarked against.
 *
 * <p>Only the ids are fetched: DJL's {@code HuggingFaceTokenizer.encode} also copies token strings, type ids,
 * masks and char spans across JNI for every text; this calls the same native batch encoder through
 * {@link TokenizersLibrary} and reads only {@code getTokenIds}. The native tokenizer is thread-safe and spreads
 * one batch over the machine's cores.
 */
final class NativeTokenIds implements AutoCloseable {
  private static final TokenizersLibrary NATIVE = TokenizersLibrary.LIB;

  private final HuggingFaceTokenizer tokenizer;
  private final long handle;

  NativeTokenIds(byte[] tokenizerJson) throws IOException {
    try {
      // DJL truncates to the model max length (512) unless told not to; the guide's call does not.
      tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson),
          Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true"));
    } catch (RuntimeException e) {
      // The native side reports a bad file as a bare RuntimeException carrying the parser's message.
      throw new IOException("not a usable tokenizer.json: " + e.getMessage(), e);
    }
    handle = tokenizer.getHandle();
  }

  int[][] encode(String[] texts) {
    long[] encodings = NATIVE.batchEncode(handle, texts, true);
    int[][] ids = new int[encodings.length][];
    try {
      for (int i = 0; i < encodings.length; i++) {
        ids[i] = toInts(NATIVE.getTokenIds(encodings[i]));
      }
    } finally {
      for (long encoding : encodings) {
        NATIVE.deleteEncoding(encoding);
      }
    }
    return ids;
  }

  int[] encode(String text) {
    long encoding = NATIVE.encode(handle, text, true);
    try {
      return toInts(NATIVE.getTokenIds(encoding));
    } finally {
      NATIVE.deleteEncoding(encoding);
    }
  }

  /** Ids with each token's character offsets, as {@code tokenizer(texts, return_offsets_mapping=True)}. */
  record Spans(int[] ids, int[] starts, int[] ends) {}

  Spans[] encodeWithSpans(String[] texts) {
    long[] encodings = NATIVE.batchEncode(handle, texts, true);
    Spans[] result = new Spans[encodings.length];
    try {
      for (int i = 0; i < encodings.length; i++) {
        int[] ids = toInts(NATIVE.getTokenIds(encodings[i]));
        CharSpan[] spans = NATIVE.getTokenCharSpans(encodings[i]);
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        for (int t = 0; t < ids.length; t++) {
          if (spans[t] != null) { // special tokens added around the text have no characters
            starts[t] = spans[t].getStart();
            ends[t] = spans[t].getEnd();
          }
        }
        result[i] = new Spans(ids, starts, ends);
      }
    } finally {
      for (long encoding : encodings) {
        NATIVE.deleteEncoding(encoding);
      }
    }
    return result;
  }

  private static int[] toInts(long[] ids) {
    int[] result = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      result[i] = Math.toIntExact(ids[i]);
    }
    return result;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
