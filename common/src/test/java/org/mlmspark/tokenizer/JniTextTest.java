package org.mlmspark.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class JniTextTest {
  private static final String R = "\uFFFD";

  @Test
  void wellFormedTextIsUnchanged() {
    String text = "emoji \uD83D\uDE80, NUL \u0000 and \u00e9";
    assertSame(text, JniText.asNativeReceives(text));
  }

  @Test
  void anUnpairedSurrogateTurnsTheWholeTextLossy() {
    assertEquals("x" + R.repeat(3) + "y", JniText.asNativeReceives("x\uD800y"));
    assertEquals(R.repeat(3) + " " + R.repeat(6) + " " + R.repeat(2) + " \u00e9",
        JniText.asNativeReceives("\uDC00 \uD83D\uDE80 \u0000 \u00e9"));
  }
}
