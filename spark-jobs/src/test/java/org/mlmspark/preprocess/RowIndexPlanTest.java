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

  /** A row as the one pass over the input read it: where it came from and the rank its task's tally gave it. */
  private record ReadRow(Unit unit, int row, boolean test, RowIndexPlan.Rank rank) {}

  /** Reads the rows as Spark's tasks would, ranking them; returns the rows in task order. */
  private static List<ReadRow> read(List<RowIndexPlan.UnitTally> tallies, boolean keepTestFlags) {
    List<ReadRow> rows = new ArrayList<>();
    for (List<Unit> task : tasks()) {
      RowIndexPlan.Tally tally = new RowIndexPlan.Tally(keepTestFlags);
      for (Unit unit : task) {
        boolean[] flags = ROWS.get(unit);
        for (int r = 0; r < flags.length; r++) {
          rows.add(new ReadRow(unit, r, flags[r], tally.add(unit, flags[r])));
        }
      }
      tallies.addAll(tally.tallies());
    }
    return rows;
  }

  /** The plan, and every row as "unit row:split index" in task order. */
  private record Indexed(RowIndexPlan plan, List<String> rows) {}

  private static Indexed index(long limit) {
    List<RowIndexPlan.UnitTally> tallies = new ArrayList<>();
    List<ReadRow> rows = read(tallies, limit != Long.MAX_VALUE);
    RowIndexPlan plan = RowIndexPlan.build(tallies, FILE_ORDER, limit);
    List<String> result = new ArrayList<>();
    for (ReadRow r : rows) {
      long index = plan.index(r.unit(), r.test(), r.rank());
      result.add(LABELS.get(r.unit()) + r.row() + ":" + (r.test() ? "test" : "train") + index);
    }
    return new Indexed(plan, result);
  }

  @Test
  void indexesRowsInInputOrderWithinEachSplit() {
    Indexed indexed = index(Long.MAX_VALUE);
    assertEquals(9, indexed.plan().selectedRows());
    assertEquals(6, indexed.plan().trainRows());
    assertEquals(3, indexed.plan().testRows());
    // Input order: a0 a1 a2 | a'0 a'1 | b0 b1 b2 b3 ; train a0 a2 a'1 b0 b1 b3 ; test a1 a'0 b2.
    assertEquals(
        List.of(
            "a0:train0", "a1:test0", "a2:train1",
            "b0:train3", "b1:train4", "b2:test2", "b3:train5",
            "a'0:test1", "a'1:train2"),
        indexed.rows());
  }

  @Test
  void limitKeepsTheFirstRowsInInputOrder() {
    Indexed indexed = index(4); // a0 a1 a2 a'0
    assertEquals(2, indexed.plan().trainRows());
    assertEquals(2, indexed.plan().testRows());
    assertEquals(
        List.of(
            "a0:train0", "a1:test0", "a2:train1",
            "b0:train-1", "b1:train-1", "b2:test-1", "b3:train-1",
            "a'0:test1", "a'1:train-1"),
        indexed.rows());
  }

  @Test
  void refusesRowsFromUnlistedFiles() {
    RowIndexPlan.Tally tally = new RowIndexPlan.Tally(false);
    tally.add(new Unit("file:/elsewhere.jsonl", 0), false);
    assertThrows(IllegalStateException.class, () -> RowIndexPlan.build(tally.tallies(), FILE_ORDER, Long.MAX_VALUE));
  }
}
