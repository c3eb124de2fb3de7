package org.mlmspark.tokenizer;

/**
 * The byte-level pre-tokenizer's split, GPT-2's regex
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+} as HF tokenizers runs it
 * (Oniguruma, Unicode classes), written as a scanner: no regex engine, no allocation per word.
 *
 * <p>The alternatives are tried in order at each position, as a backtracking regex does; every character
 * belongs to exactly one of letter, number, whitespace or other, so the matches tile the text. An unpaired
 * surrogate (which {@link JniText} replaces before this) would count as other.
 */
final class Gpt2PreTokenizer {
  static final byte OTHER = 0;
  static final byte LETTER = 1;
  static final byte NUMBER = 2;
  static final byte SPACE = 3;

  /**
   * Letters and numbers of Unicode 14 to 16 that Java 17 (Unicode 13) does not know yet, as {@code first,
   * last, class} triples in code point order. The Oniguruma inside HF tokenizers 0.21 (DJL 0.36) has Unicode
   * 16: this list is every code point it classifies differently from Java 17, found by running the native
   * tokenizer over all code points below U+40000 and U+E0000..U+E0FFF (the rest is unassigned or private
   * use). Those newer code points are rare in text, but the ids must not depend on the JDK.
   */
  private static final int[] NEWER_UNICODE = {
      0x870, 0x887, LETTER, 0x889, 0x88E, LETTER, 0x8B5, 0x8B5, LETTER, 0x8C8, 0x8C9, LETTER,
      0xC5D, 0xC5D, LETTER, 0xCDD, 0xCDD, LETTER, 0x170D, 0x170D, LETTER, 0x171F, 0x171F, LETTER,
      0x1B4C, 0x1B4C, LETTER, 0x1C89, 0x1C8A, LETTER, 0x2C2F, 0x2C2F, LETTER, 0x2C5F, 0x2C5F, LETTER,
      0x9FFD, 0x9FFF, LETTER, 0xA7C0, 0xA7C1, LETTER, 0xA7CB, 0xA7CD, LETTER, 0xA7D0, 0xA7D1, LETTER,
      0xA7D3, 0xA7D3, LETTER, 0xA7D5, 0xA7DC, LETTER, 0xA7F2, 0xA7F4, LETTER, 0x10570, 0x1057A, LETTER,
      0x1057C, 0x1058A, LETTER, 0x1058C, 0x10592, LETTER, 0x10594, 0x10595, LETTER, 0x10597, 0x105A1, LETTER,
      0x105A3, 0x105B1, LETTER, 0x105B3, 0x105B9, LETTER, 0x105BB, 0x105BC, LETTER, 0x105C0, 0x105F3, LETTER,
      0x10780, 0x10785, LETTER, 0x10787, 0x107B0, LETTER, 0x107B2, 0x107BA, LETTER, 0x10D40, 0x10D49, NUMBER,
      0x10D4A, 0x10D65, LETTER, 0x10D6F, 0x10D85, LETTER, 0x10EC2, 0x10EC4, LETTER, 0x10F70, 0x10F81, LETTER,
      0x11071, 0x11072, LETTER, 0x11075, 0x11075, LETTER, 0x1123F, 0x11240, LETTER, 0x11380, 0x11389, LETTER,
      0x1138B, 0x1138B, LETTER, 0x1138E, 0x1138E, LETTER, 0x11390, 0x113B5, LETTER, 0x113B7, 0x113B7, LETTER,
      0x113D1, 0x113D1, LETTER, 0x113D3, 0x113D3, LETTER, 0x116D0, 0x116E3, NUMBER, 0x11740, 0x11746, LETTER,
      0x11AB0, 0x11ABF, LETTER, 0x11BC0, 0x11BE0, LETTER, 0x11BF0, 0x11BF9, NUMBER, 0x11F02, 0x11F02, LETTER,
      0x11F04, 0x11F10, LETTER, 0x11F12, 0x11F33, LETTER, 0x11F50, 0x11F59, NUMBER, 0x12F90, 0x12FF0, LETTER,
      0x1342F, 0x1342F, LETTER, 0x13441, 0x13446, LETTER, 0x13460, 0x143FA, LETTER, 0x16100, 0x1611D, LETTER,
      0x16130, 0x16139, NUMBER, 0x16A70, 0x16ABE, LETTER, 0x16AC0, 0x16AC9, NUMBER, 0x16D40, 0x16D6C, LETTER,
      0x16D70, 0x16D79, NUMBER, 0x18CFF, 0x18CFF, LETTER, 0x1AFF0, 0x1AFF3, LETTER, 0x1AFF5, 0x1AFFB, LETTER,
      0x1AFFD, 0x1AFFE, LETTER, 0x1B11F, 0x1B122, LETTER, 0x1B132, 0x1B132, LETTER, 0x1B155, 0x1B155, LETTER,
      0x1CCF0, 0x1CCF9, NUMBER, 0x1D2C0, 0x1D2D3, NUMBER, 0x1DF00, 0x1DF1E, LETTER, 0x1DF25, 0x1DF2A, LETTER,
      0x1E030, 0x1E06D, LETTER, 0x1E290, 0x1E2AD, LETTER, 0x1E4D0, 0x1E4EB, LETTER, 0x1E4F0, 0x1E4F9, NUMBER,
      0x1E5D0, 0x1E5ED, LETTER, 0x1E5F0, 0x1E5F0, LETTER, 0x1E5F1, 0x1E5FA, NUMBER, 0x1E7E0, 0x1E7E6, LETTER,
      0x1E7E8, 0x1E7EB, LETTER, 0x1E7ED, 0x1E7EE, LETTER, 0x1E7F0, 0x1E7FE, LETTER, 0x2A6DE, 0x2A6DF, LETTER,
      0x2B735, 0x2B739, LETTER, 0x2EBF0, 0x2EE5D, LETTER, 0x31350, 0x323AF, LETTER
  };

  /** Class of every BMP char (surrogates: OTHER); supplementary code points are classified on the fly. */
  private static final byte[] BMP = buildBmpTable();

  private Gpt2PreTokenizer() {}

  /**
   * End (exclusive) of the pre-token that starts at {@code start}; the text ends at {@code limit} for the
   * regex (a piece between added tokens is matched on its own).
   */
  static int end(String text, int start, int limit) {
    char c = text.charAt(start);
    if (c == '\'' && start + 1 < limit) {
      int contraction = contractionEnd(text, start + 1, limit);
      if (contraction > 0) {
        return contraction;
      }
    }
    if (c == ' ' && start + 1 < limit) {
      byte next = classAt(text, start + 1, limit);
      if (next != SPACE) {
        return runEnd(text, start + 1, limit, next);
      }
    }
    byte cls = classAt(text, start, limit);
    if (cls != SPACE) {
      return runEnd(text, start, limit, cls);
    }
    int end = runEnd(text, start, limit, SPACE);
    // \s+(?!\S) gives the whitespace before a non-space to the next pre-token (" word"); a single whitespace
    // char before a non-space is matched by the final \s+ alone. Whitespace chars are all in the BMP.
    return end < limit && end - start >= 2 ? end - 1 : end;
  }

  /** {@code 's 't 'm 'd 're 've 'll} (lower case only, as in GPT-2's pattern); 0 when none starts here. */
  private static int contractionEnd(String text, int afterQuote, int limit) {
    char a = text.charAt(afterQuote);
    if (a == 's' || a == 't' || a == 'm' || a == 'd') {
      return afterQuote + 1;
    }
    if (afterQuote + 1 < limit) {
      char b = text.charAt(afterQuote + 1);
      if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
        return afterQuote + 2;
      }
    }
    return 0;
  }

  private static int runEnd(String text, int from, int limit, byte cls) {
    int i = from;
    while (i < limit) {
      char c = text.charAt(i);
      if (!Character.isSurrogate(c)) {
        if (BMP[c] != cls) {
          return i;
        }
        i++;
      } else {
        if (classAt(text, i, limit) != cls) {
          return i;
        }
        i += isPair(text, i, limit) ? 2 : 1;
      }
    }
    return i;
  }

  static byte classAt(String text, int i, int limit) {
    char c = text.charAt(i);
    if (!Character.isHighSurrogate(c) || !isPair(text, i, limit)) {
      return BMP[c];
    }
    return classOf(Character.toCodePoint(c, text.charAt(i + 1)));
  }

  private static boolean isPair(String text, int i, int limit) {
    return Character.isHighSurrogate(text.charAt(i)) && i + 1 < limit
        && Character.isLowSurrogate(text.charAt(i + 1));
  }

  /** Oniguruma's Unicode classes: \p{L} = L*, \p{N} = N*, \s = the White_Space property. */
  static byte classOf(int codePoint) {
    if (isWhiteSpace(codePoint)) {
      return SPACE;
    }
    byte newer = newerUnicodeClass(codePoint);
    if (newer != OTHER) {
      return newer;
    }
    switch (Character.getType(codePoint)) {
      case Character.UPPERCASE_LETTER:
      case Character.LOWERCASE_LETTER:
      case Character.TITLECASE_LETTER:
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
        return LETTER;
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
        return NUMBER;
      default:
        return OTHER;
    }
  }

  private static byte newerUnicodeClass(int codePoint) {
    int low = 0;
    int high = NEWER_UNICODE.length / 3 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (codePoint < NEWER_UNICODE[3 * mid]) {
        high = mid - 1;
      } else if (codePoint > NEWER_UNICODE[3 * mid + 1]) {
        low = mid + 1;
      } else {
        return (byte) NEWER_UNICODE[3 * mid + 2];
      }
    }
    return OTHER;
  }

  /** Unicode's White_Space property (Java's Character.isWhitespace differs: it excludes no-break spaces). */
  static boolean isWhiteSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
        || cp == 0x3000;
  }

  private static byte[] buildBmpTable() {
    byte[] table = new byte[0x10000];
    for (int c = 0; c < table.length; c++) {
      table[c] = Character.isSurrogate((char) c) ? OTHER : classOf(c);
    }
    return table;
  }
}
