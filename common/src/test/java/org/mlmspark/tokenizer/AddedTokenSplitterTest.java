package org.mlmspark.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlmspark.tokenizer.AddedTokenSplitter.AddedToken;

class AddedTokenSplitterTest {
  // RoBERTa's added tokens: <mask> is lstrip and matched on the raw text; the others on the normalized text.
  private static final List<AddedToken> ROBERTA = List.of(
      new AddedToken("<s>", 0, false, false, false, true),
      new AddedToken("</s>", 2, false, false, false, true),
      new AddedToken("<mask>", 50264, false, true, false, false));

  /** Pieces as readable strings: text ranges quoted, added tokens as #id. */
  private static List<String> split(List<AddedToken> tokens, String text) {
    AddedTokenSplitter.Segments segments = new AddedTokenSplitter.Segments();
    new AddedTokenSplitter(tokens).split(text, segments);
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < segments.size(); i += 3) {
      String range = text.substring(segments.start(i), segments.end(i));
      int id = segments.id(i);
      pieces.add(id == AddedTokenSplitter.Segments.TEXT ? "'" + range + "'" : "#" + id + "'" + range + "'");
    }
    return pieces;
  }

  @Test
  void textWithoutAddedTokensIsOnePiece() {
    assertEquals(List.of("'plain text'"), split(ROBERTA, "plain text"));
    assertEquals(List.of(), split(ROBERTA, ""));
    assertEquals(List.of("'<s'"), split(ROBERTA, "<s"));
  }

  @Test
  void maskTakesTheWhitespaceOnItsLeft() {
    assertEquals(List.of("'a'", "#50264' \t<mask>'", "' b'"), split(ROBERTA, "a \t<mask> b"));
    assertEquals(List.of("#50264'  <mask>'"), split(ROBERTA, "  <mask>"));
    assertEquals(List.of("#50264'<mask>'", "#50264' <mask>'"), split(ROBERTA, "<mask> <mask>"));
    assertEquals(List.of("'x'", "#50264'\u3000<mask>'"), split(ROBERTA, "x\u3000<mask>"), "Unicode whitespace");
  }

  @Test
  void lstripNeverReachesIntoAPieceOfTheFirstPass() {
    // </s> is found in the second pass, inside the piece left of <mask>; <mask>'s strip stays in its pass.
    assertEquals(List.of("#2'</s>'", "#50264' <mask>'"), split(ROBERTA, "</s> <mask>"));
    assertEquals(List.of("'a'", "#0'<s>'", "' '"), split(ROBERTA, "a<s> "), "<s> does not lstrip");
  }

  @Test
  void longestMatchWinsAtTheSamePosition() {
    List<AddedToken> tokens = List.of(new AddedToken("<m", 7, false, false, false, false),
        new AddedToken("<mask>", 8, false, false, false, false));
    assertEquals(List.of("#8'<mask>'", "#7'<m'", "'x'"), split(tokens, "<mask><mx"));
  }

  @Test
  void rstripTakesTheWhitespaceOnItsRight() {
    List<AddedToken> tokens = List.of(new AddedToken("[X]", 5, false, false, true, false));
    assertEquals(List.of("'a '", "#5'[X]  '", "'b'"), split(tokens, "a [X]  b"));
  }

  @Test
  void singleWordTokensOnlyMatchBetweenNonWordCharacters() {
    List<AddedToken> tokens = List.of(new AddedToken("<mask>", 9, true, false, false, false));
    assertEquals(List.of("#9'<mask>'", "', '", "#9'<mask>'", "'- a<mask> <mask>b \u00e9<mask>'"),
        split(tokens, "<mask>, <mask>- a<mask> <mask>b \u00e9<mask>"));
    assertEquals(List.of("'e\u0301<mask>'"), split(tokens, "e\u0301<mask>"), "a combining mark is a word char");
    assertEquals(List.of("'\u1ac5<mask>'"), split(tokens, "\u1ac5<mask>"), "so is a mark of Unicode 14");
  }
}
