package org.mlmspark.tokenizer;

/**
 * The text HF's native tokenizer actually receives from DJL for a Java string. JNI hands over Java's
 * modified UTF-8 (CESU-8); DJL decodes it exactly when the string is well-formed, but a string holding an
 * unpaired surrogate fails that decoding and is read as lossy UTF-8 instead: every surrogate code unit (even
 * one of a valid pair) becomes three U+FFFD, and U+0000 becomes two. The Java encoder reproduces this so both
 * engines give the same ids for any string (ELI5 rows with unpaired surrogates are rejected before this).
 */
final class JniText {
  private static final String REPLACEMENT = "\uFFFD";

  private JniText() {}

  static String asNativeReceives(String text) {
    if (!hasUnpairedSurrogate(text)) {
      return text;
    }
    StringBuilder lossy = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        lossy.append(REPLACEMENT.repeat(3)); // ED xx xx: no valid UTF-8 prefix, one U+FFFD per byte
      } else if (c == 0) {
        lossy.append(REPLACEMENT.repeat(2)); // C0 80
      } else {
        lossy.append(c);
      }
    }
    return lossy.toString();
  }

  static boolean hasUnpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      }
    }
    return false;
  }
}
