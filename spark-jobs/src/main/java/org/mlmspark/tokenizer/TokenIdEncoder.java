package org.mlmspark.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token ids exactly as the guide's {@code tokenizer(texts)} returns them: special tokens added
 * ({@code <s> ... </s>}), no truncation, no padding.
 *
 * <p>Only the ids are fetched from the native encodings. DJL's {@code HuggingFaceTokenizer.encode} also copies
 * token strings, type ids, masks and char spans across JNI for every text (about a fifth of its time); this
 * class calls the same native batch encoder through DJL's {@link TokenizersLibrary} and reads only
 * {@code getTokenIds}. The native tokenizer is thread-safe, and one instance serves a whole JVM
 * ({@link #shared}): loading a tokenizer.json takes about a second.
 */
public final class TokenIdEncoder implements AutoCloseable {
  private static final Map<String, TokenIdEncoder> PER_JVM = new ConcurrentHashMap<>();
  private static final TokenizersLibrary NATIVE = TokenizersLibrary.LIB;

  private final HuggingFaceTokenizer tokenizer;
  private final long handle;

  private TokenIdEncoder(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
    this.handle = tokenizer.getHandle();
  }

  /**
   * Builds an encoder from tokenizer.json bytes.
   *
   * @throws IOException when the bytes are not a tokenizer the native library accepts
   */
  public static TokenIdEncoder load(byte[] tokenizerJson) throws IOException {
    try {
      // DJL truncates to the model max length (512) unless told not to; the guide's call does not.
      return new TokenIdEncoder(
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(tokenizerJson),
              Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true")));
    } catch (RuntimeException e) {
      // The native side reports a bad file as a bare RuntimeException carrying the parser's message.
      throw new IOException("not a usable tokenizer.json: " + e.getMessage(), e);
    }
  }

  /**
   * The JVM-wide encoder for this tokenizer, loaded on first use (once per executor, not per row or task).
   *
   * @param sha256 identifies the tokenizer; {@code json} is only read when it is not loaded yet
   */
  public static TokenIdEncoder shared(String sha256, byte[] json) {
    return PER_JVM.computeIfAbsent(
        sha256,
        key -> {
          try {
            return load(json);
          } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        });
  }

  /** Ids of each text, in order; the native library spreads one batch over the machine's cores. */
  public int[][] encode(String[] texts) {
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

  public int[] encode(String text) {
    long encoding = NATIVE.encode(handle, text, true);
    try {
      return toInts(NATIVE.getTokenIds(encoding));
    } finally {
      NATIVE.deleteEncoding(encoding);
    }
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
