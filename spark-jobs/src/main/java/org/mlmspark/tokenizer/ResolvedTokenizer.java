package org.mlmspark.tokenizer;

/**
 * A tokenizer.json resolved from what the user named, with where it came from.
 *
 * @param id     what the manifest and logs call it (hub id, or the path it was read from)
 * @param json   the tokenizer.json bytes (HF tokenizers format), shipped to executors as they are
 * @param sha256 hex digest of {@code json}, recorded in manifests so a rerun can tell a changed tokenizer
 * @param reason one line for the log: why this tokenizer was chosen (e.g. an offline fallback)
 */
public record ResolvedTokenizer(String id, byte[] json, String sha256, String reason) {}
