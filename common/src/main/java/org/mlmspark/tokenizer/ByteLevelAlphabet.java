package org.mlmspark.tokenizer;

/**
 * GPT-2's reversible byte → printable-character table ({@code bytes_to_unicode} in GPT-2 and HF tokenizers):
 * printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100.. in byte order. Byte-level BPE
 * vocabularies (GPT-2, RoBERTa) store their tokens in this alphabet, one character per byte, so concatenating
 * two token strings is the token string of the concatenated bytes.
 */
final class ByteLevelAlphabet {
  private static final char[] BYTE_TO_CHAR = buildTable();

  private ByteLevelAlphabet() {}

  static String encode(byte[] bytes) {
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
    }
    return new String(chars);
  }

  private static char[] buildTable() {
    char[] table = new char[256];
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      table[b] = (char) (printable ? b : next++);
    }
    return table;
  }
}
