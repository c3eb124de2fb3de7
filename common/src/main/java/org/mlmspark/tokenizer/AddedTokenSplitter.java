package org.mlmspark.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits added tokens ({@code <mask>}, {@code </s>}, …) out of a text as HF tokenizers' AddedVocabulary does:
 * first the tokens with {@code normalized=false} on the whole text, then those with {@code normalized=true} on
 * each remaining piece (this encoder only serves tokenizers without a normalizer, so both see the raw text).
 * Within a pass, matches are leftmost-longest and non-overlapping; {@code single_word} drops a match touching
 * a word character, {@code lstrip}/{@code rstrip} widen it over the whitespace beside it (never into the
 * previous match).
 */
final class AddedTokenSplitter {
  /** One entry of the {@code added_tokens} list with its resolved id. */
  record AddedToken(String content, int id, boolean singleWord, boolean lstrip, boolean rstrip,
      boolean normalized) {}

  private final Pass raw;
  private final Pass normalized;

  AddedTokenSplitter(List<AddedToken> tokens) {
    List<AddedToken> rawTokens = new ArrayList<>();
    List<AddedToken> normalizedTokens = new ArrayList<>();
    for (AddedToken token : tokens) {
      (token.normalized() ? normalizedTokens : rawTokens).add(token);
    }
    raw = new Pass(rawTokens);
    normalized = new Pass(normalizedTokens);
  }

  /**
   * Appends the pieces of {@code text} to {@code out} in order: text ranges (to pre-tokenize) and added
   * token ids. Empty text ranges are left out.
   */
  void split(String text, Segments out) {
    if (raw.isEmpty()) {
      normalized.split(text, 0, text.length(), out);
      return;
    }
    int first = out.size();
    raw.split(text, 0, text.length(), out);
    if (normalized.isEmpty()) {
      return;
    }
    // Second pass over the text ranges of the first, in place: copy them out, then re-split each.
    int[] firstPass = out.removeFrom(first);
    for (int i = 0; i < firstPass.length; i += 3) {
      if (firstPass[i + 2] == Segments.TEXT) {
        normalized.split(text, firstPass[i], firstPass[i + 1], out);
      } else {
        out.add(firstPass[i], firstPass[i + 1], firstPass[i + 2]);
      }
    }
  }

  /** The matching set of one pass. */
  private static final class Pass {
    private final AddedToken[] tokens;
    /** The single first char of all tokens (searched with indexOf), or -1 when they start differently. */
    private final int onlyFirstChar;

    Pass(List<AddedToken> tokens) {
      this.tokens = tokens.stream().filter(t -> !t.content().isEmpty()).toArray(AddedToken[]::new);
      int[] firsts = Arrays.stream(this.tokens).mapToInt(t -> t.content().charAt(0)).distinct().toArray();
      onlyFirstChar = firsts.length == 1 ? firsts[0] : -1;
    }

    boolean isEmpty() {
      return tokens.length == 0;
    }

    /** Splits the sentence {@code text[from, to)}; boundaries of word and whitespace checks stop at its ends. */
    void split(String text, int from, int to, Segments out) {
      int done = from; // end of the last emitted piece
      int searchAt = from; // matches never overlap the previous match (its own extent, not its strip)
      while (searchAt < to) {
        int at = nextCandidate(text, searchAt, to);
        if (at < 0) {
          break;
        }
        AddedToken token = longestAt(text, at, to);
        if (token == null) {
          searchAt = at + 1;
          continue;
        }
        int start = at;
        int stop = at + token.content().length();
        searchAt = stop;
        if (token.singleWord()
            && ((start > from && isWordChar(Character.codePointBefore(text, start)))
                || (stop < to && isWordChar(Character.codePointAt(text, stop))))) {
          continue;
        }
        if (token.lstrip()) {
          while (start > done && Gpt2PreTokenizer.isWhiteSpace(text.charAt(start - 1))) {
            start--;
          }
          if (start < done) {
            start = done;
          }
        }
        if (token.rstrip()) {
          while (stop < to && Gpt2PreTokenizer.isWhiteSpace(text.charAt(stop))) {
            stop++;
          }
        }
        if (done < start) {
          out.add(done, start, Segments.TEXT);
        }
        out.add(start, stop, token.id());
        done = stop;
      }
      if (done < to) {
        out.add(done, to, Segments.TEXT);
      }
    }

    private int nextCandidate(String text, int from, int to) {
      if (onlyFirstChar >= 0) {
        int at = text.indexOf(onlyFirstChar, from);
        return at >= 0 && at < to ? at : -1;
      }
      for (int i = from; i < to; i++) {
        char c = text.charAt(i);
        for (AddedToken token : tokens) {
          if (token.content().charAt(0) == c) {
            return i;
          }
        }
      }
      return -1;
    }

    private AddedToken longestAt(String text, int at, int to) {
      AddedToken best = null;
      for (AddedToken token : tokens) {
        String content = token.content();
        if (content.length() <= to - at && text.startsWith(content, at)
            && (best == null || content.length() > best.content().length())) {
          best = token;
        }
      }
      return best;
    }
  }

  /**
   * Code points unassigned in Java 17 (Unicode 13) that Rust regex's {@code \w} (Unicode 16, in HF tokenizers
   * 0.21) matches, as {@code first, last} pairs: newer letters, marks and digits. Found by running the native
   * tokenizer with a {@code single_word} token after each such code point below U+40000 and in U+E0000..U+E0FFF.
   */
  private static final int[] NEWER_WORD_CHARS = {
      0x870, 0x887, 0x889, 0x88E, 0x897, 0x89F, 0x8B5, 0x8B5, 0x8C8, 0x8D2, 0xC3C, 0xC3C,
      0xC5D, 0xC5D, 0xCDD, 0xCDD, 0xCF3, 0xCF3, 0xECE, 0xECE, 0x170D, 0x170D, 0x1715, 0x1715,
      0x171F, 0x171F, 0x180F, 0x180F, 0x1AC1, 0x1ACE, 0x1B4C, 0x1B4C, 0x1C89, 0x1C8A, 0x1DFA, 0x1DFA,
      0x2C2F, 0x2C2F, 0x2C5F, 0x2C5F, 0x9FFD, 0x9FFF, 0xA7C0, 0xA7C1, 0xA7CB, 0xA7CD, 0xA7D0, 0xA7D1,
      0xA7D3, 0xA7D3, 0xA7D5, 0xA7DC, 0xA7F2, 0xA7F4, 0x10570, 0x1057A, 0x1057C, 0x1058A, 0x1058C, 0x10592,
      0x10594, 0x10595, 0x10597, 0x105A1, 0x105A3, 0x105B1, 0x105B3, 0x105B9, 0x105BB, 0x105BC, 0x105C0, 0x105F3,
      0x10780, 0x10785, 0x10787, 0x107B0, 0x107B2, 0x107BA, 0x10D40, 0x10D65, 0x10D69, 0x10D6D, 0x10D6F, 0x10D85,
      0x10EC2, 0x10EC4, 0x10EFC, 0x10EFF, 0x10F70, 0x10F85, 0x11070, 0x11075, 0x110C2, 0x110C2, 0x1123F, 0x11241,
      0x11380, 0x11389, 0x1138B, 0x1138B, 0x1138E, 0x1138E, 0x11390, 0x113B5, 0x113B7, 0x113C0, 0x113C2, 0x113C2,
      0x113C5, 0x113C5, 0x113C7, 0x113CA, 0x113CC, 0x113D3, 0x113E1, 0x113E2, 0x116D0, 0x116E3, 0x11740, 0x11746,
      0x11AB0, 0x11ABF, 0x11BC0, 0x11BE0, 0x11BF0, 0x11BF9, 0x11F00, 0x11F10, 0x11F12, 0x11F3A, 0x11F3E, 0x11F42,
      0x11F50, 0x11F5A, 0x12F90, 0x12FF0, 0x1342F, 0x1342F, 0x13440, 0x13455, 0x13460, 0x143FA, 0x16100, 0x16139,
      0x16A70, 0x16ABE, 0x16AC0, 0x16AC9, 0x16D40, 0x16D6C, 0x16D70, 0x16D79, 0x18CFF, 0x18CFF, 0x1AFF0, 0x1AFF3,
      0x1AFF5, 0x1AFFB, 0x1AFFD, 0x1AFFE, 0x1B11F, 0x1B122, 0x1B132, 0x1B132, 0x1B155, 0x1B155, 0x1CCF0, 0x1CCF9,
      0x1CF00, 0x1CF2D, 0x1CF30, 0x1CF46, 0x1DF00, 0x1DF1E, 0x1DF25, 0x1DF2A, 0x1E030, 0x1E06D, 0x1E08F, 0x1E08F,
      0x1E290, 0x1E2AE, 0x1E4D0, 0x1E4F9, 0x1E5D0, 0x1E5FA, 0x1E7E0, 0x1E7E6, 0x1E7E8, 0x1E7EB, 0x1E7ED, 0x1E7EE,
      0x1E7F0, 0x1E7FE, 0x2A6DE, 0x2A6DF, 0x2B735, 0x2B739, 0x2EBF0, 0x2EE5D, 0x31350, 0x323AF
  };

  /** Rust regex's Unicode {@code \w}: Alphabetic, marks, decimal digits, connector punctuation, joiners. */
  static boolean isWordChar(int cp) {
    if (Character.getType(cp) == Character.UNASSIGNED) {
      return inRanges(NEWER_WORD_CHARS, cp);
    }
    if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
        || type == Character.COMBINING_SPACING_MARK || type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.CONNECTOR_PUNCTUATION;
  }

  private static boolean inRanges(int[] ranges, int cp) {
    int low = 0;
    int high = ranges.length / 2 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (cp < ranges[2 * mid]) {
        high = mid - 1;
      } else if (cp > ranges[2 * mid + 1]) {
        low = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** A growable list of {@code (start, end, idOrText)} triples, reused across texts by one thread. */
  static final class Segments {
    static final int TEXT = -1;

    private int[] data = new int[48];
    private int size;

    void add(int start, int end, int idOrText) {
      if (size + 3 > data.length) {
        data = Arrays.copyOf(data, data.length * 2);
      }
      data[size] = start;
      data[size + 1] = end;
      data[size + 2] = idOrText;
      size += 3;
    }

    int size() {
      return size;
    }

    int start(int index) {
      return data[index];
    }

    int end(int index) {
      return data[index + 1];
    }

    /** The token id of the segment, or {@link #TEXT}. */
    int id(int index) {
      return data[index + 2];
    }

    void clear() {
      size = 0;
    }

    int[] removeFrom(int index) {
      int[] removed = Arrays.copyOfRange(data, index, size);
      size = index;
      return removed;
    }
  }
}
