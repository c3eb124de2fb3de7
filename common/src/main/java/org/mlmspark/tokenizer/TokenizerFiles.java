package org.mlmspark.tokenizer;

/** The file names of a Hugging Face tokenizer as {@code save_pretrained} writes them. */
public final class TokenizerFiles {
  /** The fast tokenizer: vocabulary, merges, added tokens, normalizer, pre-tokenizer, post-processor. */
  public static final String TOKENIZER = "tokenizer.json";
  /** The roles of the special tokens ({@code mask_token}, {@code pad_token}, …) and the tokenizer class. */
  public static final String CONFIG = "tokenizer_config.json";

  private TokenizerFiles() {}
}
