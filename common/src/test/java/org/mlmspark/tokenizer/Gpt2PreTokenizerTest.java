package org.mlmspark.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Gpt2PreTokenizerTest {
  /** GPT-2's pattern in java.util.regex with Unicode classes: the oracle for the scanner on valid text. */
  private static final Pattern GPT2 = Pattern.compile(
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
      Pattern.UNICODE_CHARACTER_CLASS);

  private static List<String> scan(String text) {
    List<String> words = new ArrayList<>();
    for (int pos = 0; pos < text.length(); ) {
      int end = Gpt2PreTokenizer.end(text, pos, text.length());
      words.add(text.substring(pos, end));
      pos = end;
    }
    return words;
  }

  private static List<String> regex(String text) {
    List<String> words = new ArrayList<>();
    Matcher m = GPT2.matcher(text);
    while (m.find()) {
      words.add(m.group());
    }
    return words;
  }

  @Test
  void splitsWordsWithTheirLeadingSpace() {
    assertEquals(List.of("Hello", " world", ",", " it", "'s", " 2024", "!"), scan("Hello world, it's 2024!"));
  }

  @Test
  void contractionsAreLowerCaseOnlyAndWinOverLetters() {
    assertEquals(List.of("'", "S", "'", "LL", " '", "s"), scan("'S'LL 's"));
    assertEquals(List.of("we", "'ll", " they", "'re", " I", "'ve", "'d", "'m", "'t"), scan("we'll they're I've'd'm't"));
    assertEquals(List.of("'s", "un"), scan("'sun"));
  }

  @Test
  void whitespaceBeforeAWordLeavesItsLastCharacterToTheWord() {
    assertEquals(List.of("a", "   ", " b"), scan("a    b"));
    assertEquals(List.of("a", "\n", "b"), scan("a\nb"));
    assertEquals(List.of("a", " \n", " b"), scan("a \n b"));
    assertEquals(List.of("a", "  ", "\t", "b"), scan("a  \tb"), "a tab cannot prefix a word: \\s+ takes it alone");
    assertEquals(List.of("end", "   "), scan("end   "), "trailing whitespace stays one piece");
  }

  @Test
  void unicodeWhitespaceIsWhitespace() {
    // No-break, thin and ideographic spaces are \s for Oniguruma, though not for Character.isWhitespace.
    assertEquals(List.of("a", "\u00a0", "b"), scan("a\u00a0b"));
    assertEquals(List.of("a", "\u2009\u3000", " b"), scan("a\u2009\u3000 b"));
    assertEquals(List.of("a", "\u200b", "b"), scan("a\u200bb"), "zero-width space is not whitespace");
  }

  @Test
  void classifiesByCodePoint() {
    String emoji = "\uD83D\uDE80"; // rocket, one code point, two chars
    String gothic = "\uD800\uDF30"; // Gothic letter ahsa: a supplementary letter
    assertEquals(List.of("x", " " + emoji + emoji, " " + gothic + "x"), scan("x " + emoji + emoji + " " + gothic + "x"));
    assertEquals(List.of("e", "\u0301", "\u00e9"), scan("e\u0301\u00e9"), "a combining mark is not a letter");
    assertEquals(List.of("a", "\uD800", "b", "\uDC00\uDC00"), scan("a\uD800b\uDC00\uDC00"),
        "an unpaired surrogate counts as other");
  }

  @Test
  void knowsLettersAndDigitsNewerThanJavasUnicode() {
    String cjkExtensionI = new String(Character.toChars(0x2EE0A)); // Unicode 15.1
    String kawiDigit = new String(Character.toChars(0x11F50)); // Unicode 15.0
    assertEquals(List.of(cjkExtensionI, "'d"), scan(cjkExtensionI + "'d"), "a letter, so no symbol run with '");
    assertEquals(List.of("1" + kawiDigit + "2"), scan("1" + kawiDigit + "2"));
    assertEquals(Gpt2PreTokenizer.OTHER, Gpt2PreTokenizer.classOf(0x2EE5E), "just past the table's last letter");
  }

  @Test
  void aPieceEndsWhereItsLimitIs() {
    // Pieces between added tokens are matched on their own: whitespace at a limit is trailing whitespace.
    String text = "a  <mask>";
    assertEquals(3, Gpt2PreTokenizer.end(text, 1, 3));
    assertEquals(1, Gpt2PreTokenizer.end("'s", 0, 1), "a quote at the limit is no contraction");
  }

  @Test
  void agreesWithTheUnicodeRegexOnRandomText() {
    String pool = "aZé日ß ́1٣²  \u00a0\u2009\u3000\t\r\n'srtvmdle.,!?-_\"😀𝔘€";
    int[] codePoints = pool.codePoints().toArray();
    Random random = new Random(7);
    for (int t = 0; t < 20_000; t++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(24);
      for (int i = 0; i < length; i++) {
        text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
      }
      String s = text.toString();
      assertEquals(regex(s), scan(s), () -> "text: " + s.replace("\n", "\\n"));
    }
  }
}
