package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlmspark.eli5.Eli5Schema;
import org.mlmspark.preprocess.RowIndexPlan.Rank;
import org.mlmspark.preprocess.RowIndexPlan.Unit;
import org.mlmspark.preprocess.RowIndexPlan.UnitTally;

class SelectorTest {
  private static final TrainTestSplit SPLIT = new TrainTestSplit(42, 0.5);
  private static final String A = "file:/in/a.jsonl";

  private static String question(String qId, String subreddit, String... answers) {
    StringBuilder texts = new StringBuilder();
    StringBuilder ids = new StringBuilder();
    StringBuilder scores = new StringBuilder();
    for (int i = 0; i < answers.length; i++) {
      String sep = i == 0 ? "" : ",";
      texts.append(sep).append('"').append(answers[i]).append('"');
      ids.append(sep).append("\"a").append(i).append('"');
      scores.append(sep).append(i);
    }
    return String.format(
        "{\"q_id\":\"%s\",\"title\":\"t\",\"selftext\":\"\",\"document\":\"\",\"subreddit\":\"%s\","
            + "\"answers\":{\"a_id\":[%s],\"text\":[%s],\"score\":[%s]}}",
        qId, subreddit, ids, texts, scores);
  }

  private static Selector.Line line(long start, String json) {
    return new Selector.Line(A, start, json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Selected> select(String subreddit, boolean keepTestFlags, Selector.Line... lines) {
    List<Selected> out = new ArrayList<>();
    new Selector(List.of(lines).iterator(), Eli5Schema.ELI5, 1000, subreddit, SPLIT, keepTestFlags)
        .forEachRemaining(out::add);
    return out;
  }

  @Test
  void questionsGetJoinedTextsSplitsAndRanksRejectsTheirReasonAndTheSummaryComesLast() {
    List<String> ids = List.of("q0", "q1", "q2", "q3", "q4", "q5");
    List<Selector.Line> lines = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      lines.add(line(i < 3 ? 0 : 500, question(ids.get(i), "AskScience", "first answer", "second " + i)));
      if (i == 1) {
        lines.add(line(0, "{\"q_id\": "));
      }
    }
    List<Selected> out = select("askscience", true, lines.toArray(Selector.Line[]::new));

    assertEquals(ids.size() + 2, out.size());
    Selected.Reject reject = assertInstanceOf(Selected.Reject.class, out.get(2));
    assertEquals("malformed_json", reject.reason());
    assertEquals(A, reject.file());
    assertEquals("{\"q_id\": ", new String(reject.raw(), StandardCharsets.UTF_8));

    List<Selected.Question> questions =
        out.stream().filter(Selected.Question.class::isInstance).map(Selected.Question.class::cast).toList();
    Map<Unit, long[]> rowsAndTestRows = new HashMap<>();
    long testQuestions = 0;
    for (int i = 0; i < ids.size(); i++) {
      Selected.Question q = questions.get(i);
      Unit unit = new Unit(A, i < 3 ? 0 : 500);
      boolean test = SPLIT.isTest(ids.get(i));
      long[] c = rowsAndTestRows.computeIfAbsent(unit, u -> new long[2]);
      assertEquals(unit, q.unit());
      assertEquals(test, q.test());
      assertEquals(new Rank(c[0], test ? c[1] : c[0] - c[1]), q.rank(), ids.get(i));
      assertEquals("first answer second " + i, q.text());
      c[0]++;
      c[1] += test ? 1 : 0;
      testQuestions += test ? 1 : 0;
    }
    assertTrue(testQuestions > 0 && testQuestions < ids.size(), "both splits occur in this example");

    Selected.Summary summary = assertInstanceOf(Selected.Summary.class, out.get(out.size() - 1));
    assertEquals(ids.size() + 1, summary.read());
    assertEquals(Map.of("malformed_json", 1L), summary.rejectedByReason());
    assertEquals(2, summary.units().size());
    UnitTally first = summary.units().get(0);
    assertEquals(new Unit(A, 0), first.unit());
    assertEquals(3, first.rows());
    BitSet testFlags = new BitSet();
    for (int i = 0; i < 3; i++) {
      testFlags.set(i, SPLIT.isTest(ids.get(i)));
    }
    assertEquals(testFlags, first.testFlags());
  }

  @Test
  void otherSubredditsAreOnlyCounted() {
    List<Selected> out =
        select("askscience", false, line(0, question("q0", "explainlikeimfive", "x")), line(0, question("q1", "askscience", "y")));
    assertEquals(2, out.size());
    assertEquals("y", assertInstanceOf(Selected.Question.class, out.get(0)).text());
    Selected.Summary summary = assertInstanceOf(Selected.Summary.class, out.get(1));
    assertEquals(2, summary.read());
    assertEquals(1, summary.units().get(0).rows());
  }

  @Test
  void anEmptyPartitionStillReportsItsSummary() {
    List<Selected> out = select(null, false);
    assertEquals(List.of(new Selected.Summary(0, Map.of(), List.of())), out);
  }

  @Test
  void recordsSurviveTheirEncoding() {
    Selected.Question question = new Selected.Question(new Unit(A, 1L << 40), new Rank(7, 3), true, "ünïcode ✓ text");
    assertEquals(question, Selected.decode(Selected.encode(question)));
    assertEquals(Selected.TEST, Selected.kind(Selected.encode(question)));

    byte[] invalidUtf8 = {'{', (byte) 0xFF, '}'};
    Selected.Reject reject = new Selected.Reject("invalid_utf8", "bad byte at 1", A, invalidUtf8);
    Selected.Reject decoded = (Selected.Reject) Selected.decode(Selected.encode(reject));
    assertEquals(List.of(reject.reason(), reject.detail(), reject.file()), List.of(decoded.reason(), decoded.detail(), decoded.file()));
    assertArrayEquals(invalidUtf8, decoded.raw());

    BitSet flags = new BitSet();
    flags.set(1);
    Selected.Summary summary =
        new Selected.Summary(9, Map.of("wrong_type", 2L), List.of(new UnitTally(new Unit(A, 0), 5, 1, flags)));
    assertEquals(summary, Selected.decode(Selected.encode(summary)));
  }
}
