package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerJoinerTest {
  @Test
  void joinsWithOneSpaceLikePython() {
    assertEquals("a b", AnswerJoiner.join(List.of("a", "b")));
    // " ".join keeps empty strings and existing whitespace as they are.
    assertEquals("a  b ", AnswerJoiner.join(List.of("a", "", "b ")));
    assertEquals("only", AnswerJoiner.join(List.of("only")));
  }
}
