package org.mlmspark.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mlmspark.support.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token ids exactly as the guide's {@code tokenizer(texts)} returns them: special tokens added
 * ({@code <s> ... </s>}), no truncation, no padding.
 *
 * <p>Two engines give the same ids. Byte-level BPE tokenizers (GPT-2, RoBERTa) are
 * encoded by {@link ByteLevelBpeEncoder}, plain Java that produces nothing but ids; any other tokenizer.json
 * goes to HF's native tokenizer through DJL ({@link NativeTokenIds}). One instance serves a whole JVM
 * ({@link #shared}); both engines are thread-safe.
 */
public final class TokenIdEncoder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TokenIdEncoder.class);
  private static final Map<String, TokenIdEncoder> PER_JVM = new ConcurrentHashMap<>();

  /** Which implementation encodes. */
  public enum Engine {
    /** The pure-Java byte-level BPE encoder. */
    JAVA,
    /** HF tokenizers' Rust code through DJL's JNI. */
    NATIVE
  }

  private final ByteLevelBpeEncoder java;
  private final NativeTokenIds nativeIds;
  private final String description;
  private final byte[] tokenizerJson;
  private final boolean[] special;
  private volatile NativeTokenIds withOffsets;

  private TokenIdEncoder(ByteLevelBpeEncoder java, NativeTokenIds nativeIds, String description,
      byte[] tokenizerJson) throws IOException {
    this.java = java;
    this.nativeIds = nativeIds;
    this.description = description;
    this.tokenizerJson = tokenizerJson;
    this.special = specialIds(tokenizerJson);
  }

  /** The ids of the added tokens marked special (RoBERTa's {@code <s> <pad> </s> <unk> <mask>}). */
  private static boolean[] specialIds(byte[] tokenizerJson) throws IOException {
    JsonNode added;
    try {
      added = Json.mapper().readTree(tokenizerJson).path("added_tokens");
    } catch (IOException e) {
      throw new IOException("not a usable tokenizer.json: " + e.getMessage(), e);
    }
    int max = -1;
    for (JsonNode token : added) {
      max = Math.max(max, token.path("id").asInt(-1));
    }
    boolean[] special = new boolean[max + 1];
    for (JsonNode token : added) {
      if (token.path("special").asBoolean(false) && token.path("id").asInt(-1) >= 0) {
        special[token.get("id").asInt()] = true;
      }
    }
    return special;
  }

  /** Token ids of a text with {@link WordStarts} flags, one per token. */
  public record WithWordStarts(int[] ids, int[] wordStarts) {}

  /**
   * Ids and word starts of each text (bin/preprocess --word-starts). The word starts need each token's character
   * offsets, which only HF's native tokenizer reports: it encodes here, whichever engine {@link #encode} uses (the
   * two give the same ids).
   */
  public WithWordStarts[] encodeWithWordStarts(String[] texts) {
    NativeTokenIds engine = nativeIds != null ? nativeIds : offsetsEngine();
    NativeTokenIds.Spans[] spans = engine.encodeWithSpans(texts);
    WithWordStarts[] result = new WithWordStarts[spans.length];
    for (int i = 0; i < spans.length; i++) {
      NativeTokenIds.Spans s = spans[i];
      result[i] = new WithWordStarts(s.ids(),
          WordStarts.of(s.ids(), s.starts(), s.ends(), id -> id < special.length && special[id]));
    }
    return result;
  }

  private NativeTokenIds offsetsEngine() {
    NativeTokenIds engine = withOffsets;
    if (engine == null) {
      synchronized (this) {
        if (withOffsets == null) {
          try {
            withOffsets = new NativeTokenIds(tokenizerJson);
          } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        }
        engine = withOffsets;
      }
    }
    return engine;
  }

  /**
   * Builds an encoder from tokenizer.json bytes: the Java engine when the tokenizer has the byte-level BPE
   * shape it implements, the native one otherwise.
   *
   * @throws IOException when the bytes are not a tokenizer the native library accepts either
   */
  public static TokenIdEncoder load(byte[] tokenizerJson) throws IOException {
    try {
      return javaEngine(tokenizerJson);
    } catch (UnsupportedTokenizerException e) {
      return new TokenIdEncoder(null, new NativeTokenIds(tokenizerJson),
          "HF's native tokenizer via DJL (not the byte-level BPE shape the Java encoder implements: "
              + e.getMessage() + ")", tokenizerJson);
    }
  }

  /**
   * Builds an encoder on the given engine, e.g. to compare the two.
   *
   * @throws IOException when that engine cannot serve this tokenizer.json
   */
  public static TokenIdEncoder load(byte[] tokenizerJson, Engine engine) throws IOException {
    if (engine == Engine.NATIVE) {
      return new TokenIdEncoder(null, new NativeTokenIds(tokenizerJson), "HF's native tokenizer via DJL",
          tokenizerJson);
    }
    try {
      return javaEngine(tokenizerJson);
    } catch (UnsupportedTokenizerException e) {
      throw new IOException("the Java encoder does not implement this tokenizer.json: " + e.getMessage(), e);
    }
  }

  private static TokenIdEncoder javaEngine(byte[] tokenizerJson) throws UnsupportedTokenizerException {
    try {
      return new TokenIdEncoder(ByteLevelBpeJson.encoder(Json.mapper().readTree(tokenizerJson)), null,
          "pure-Java byte-level BPE encoder", tokenizerJson);
    } catch (IOException e) {
      throw new UnsupportedTokenizerException("not JSON: " + e.getMessage());
    }
  }

  /**
   * The JVM-wide encoder for this tokenizer, loaded on first use (once per executor, not per row or task).
   * Logs once which engine it uses.
   *
   * @param fingerprint identifies the tokenizer ({@link TokenizerFingerprint}); {@code json} is only read when it
   *     is not loaded yet
   */
  public static TokenIdEncoder shared(String fingerprint, byte[] json) {
    return PER_JVM.computeIfAbsent(
        fingerprint,
        key -> {
          try {
            TokenIdEncoder encoder = load(json);
            LOG.info("token ids of tokenizer {}: {}", key.substring(0, Math.min(12, key.length())),
                encoder.description());
            return encoder;
          } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        });
  }

  /** One line for logs: the engine, and why the native one when it is. */
  public String description() {
    return description;
  }

  public Engine engine() {
    return java != null ? Engine.JAVA : Engine.NATIVE;
  }

  /**
   * Ids of each text, in order. The Java engine encodes on the calling thread (Spark's tasks are the
   * parallelism); the native one spreads a batch over the machine's cores.
   */
  public int[][] encode(String[] texts) {
    if (java == null) {
      return nativeIds.encode(texts);
    }
    int[][] ids = new int[texts.length][];
    for (int i = 0; i < texts.length; i++) {
      ids[i] = java.encode(texts[i]);
    }
    return ids;
  }

  public int[] encode(String text) {
    return java != null ? java.encode(text) : nativeIds.encode(text);
  }

  @Override
  public void close() {
    if (nativeIds != null) {
      nativeIds.close();
    }
    if (withOffsets != null) {
      withOffsets.close();
    }
  }
}
