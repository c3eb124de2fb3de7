package org.mlmspark.tokenizer;

/**
 * A tokenizer.json resolved from what the user named, with where it came from.
 *
 * @param id          what the manifest and logs call it: the hub id, or the path it was read from
 * @param json        the tokenizer.json bytes (HF tokenizers format), shipped to executors as they are
 * @param fingerprint {@link TokenizerFingerprint} of {@code json}: what it encodes, whichever copy it came from
 * @param source      which copy was used, in a few words: a hub commit, the HF cache, the bundled copy, or a path
 */
public record ResolvedTokenizer(String id, byte[] json, String fingerprint, String source) {
  /** One short line for the log. */
  public String describe() {
    return "tokenizer " + id + " (" + source + ")";
  }
}
