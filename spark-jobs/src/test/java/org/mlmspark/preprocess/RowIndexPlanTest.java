package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlmspark.preprocess.RowIndexPlan.Unit;

class RowIndexPlanTest {
  /** Input order: a.jsonl (two splits), then b.jsonl. Rows: true = test. */
  private static final Map<String, Integer> FILE_ORDER = Map.of("file:/in/a.jsonl", 0, "file:/in/b.jsonl", 1);

  private static final Unit A0 = new Unit("file:/in/a.jsonl", 0);
  private static final Unit A1 = new Unit("file:/in/a.jsonl", 1000);
  private static final Unit B0 = new Unit("file:/in/b.jsonl", 0);
  private static final Map<Unit, boolean[]> ROWS =
      Map.of(
          A0, new boolean[] {false, true, false},
          A1, new boolean[] {true, false},
          B0, new boolean[] {false, false, true, false});

  private static final Map<Unit, String> LABELS = Map.of(A0, "a", A1, "a'", B0, "b");

  /** Two tasks; the second reads B0 before A1, as Spark may schedule them. */
  private static List<List<Unit>> tasks() {
    return List.of(List.of(A0), List.of(B0, A1));
  }

  private static RowIndexPlan plan(long limit) {
    List<RowIndexPlan.UnitTally> tallies = new ArrayList<>();
    for (List<Unit> task : tasks()) {
      RowIndexPlan.Tally tally = new RowIndexPlan.Tally(limit != Long.MAX_VALUE);
      for (Unit unit : task) {
        for (boolean test : ROWS.get(unit)) {
          tally.add(unit, test);
        }
      }
      tallies.addAll(tally.tallies());
    }
    return RowIndexPlan.build(tallies, FILE_ORDER, limit);
  }

  /** Indexes every row as the second pass does; returns "unit row:split index" in task order. */
  private static List<String> index(RowIndexPlan plan) {
    List<String> result = new ArrayList<>();
    for (List<Unit> task : tasks()) {
      RowIndexPlan.Cursor cursor = plan.cursor();
      for (Unit unit : task) {
        boolean[] rows = ROWS.get(unit);
        for (int r = 0; r < rows.length; r++) {
          long index = cursor.next(unit, rows[r]);
          result.add(LABELS.get(unit) + r + ":" + (rows[r] ? "test" : "train") + index);
        }
      }
    }
    return result;
  }

  @Test
  void indexesRowsInInputOrderWithinEachSplit() {
    RowIndexPlan plan = plan(Long.MAX_VALUE);
    assertEquals(9, plan.selectedRows());
    assertEquals(6, plan.trainRows());
    assertEquals(3, plan.testRows());
    // Input order: a0 a1 a2 | a'0 a'1 | b0 b1 b2 b3 ; train a0 a2 a'1 b0 b1 b3 ; test a1 a'0 b2.
    assertEquals(
        List.of(
            "a0:train0", "a1:test0", "a2:train1",
            "b0:train3", "b1:train4", "b2:test2", "b3:train5",
            "a'0:test1", "a'1:train2"),
        index(plan));
  }

  @Test
  void limitKeepsTheFirstRowsInInputOrder() {
    RowIndexPlan plan = plan(4); // a0 a1 a2 a'0
    assertEquals(2, plan.trainRows());
    assertEquals(2, plan.testRows());
    assertEquals(
        List.of(
            "a0:train0", "a1:test0", "a2:train1",
            "b0:train-1", "b1:train-1", "b2:test-1", "b3:train-1",
            "a'0:test1", "a'1:train-1"),
        index(plan));
  }

  @Test
  void refusesRowsFromUnlistedFiles() {
    RowIndexPlan.Tally tally = new RowIndexPlan.Tally(false);
    tally.add(new Unit("file:/elsewhere.jsonl", 0), false);
    assertThrows(IllegalStateException.class, () -> RowIndexPlan.build(tally.tallies(), FILE_ORDER, Long.MAX_VALUE));
  }
}
