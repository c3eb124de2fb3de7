package org.mlmspark.preprocess;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every selected row its position in input order (files sorted by path, rows in file order) without
 * moving rows: while the one pass over the input reads a file split ({@link Unit}), a {@link Tally} gives each
 * row its {@link Rank} inside the split and counts the split's rows; the driver orders the splits and turns the
 * counts into offsets; a row's position is then its split's offset plus its rank ({@link #index}). That yields
 * both {@code --limit} (first N rows) and each row's index within train or test, which decides its
 * {@code group_texts} batch.
 *
 * <p>Rows of one file split are read in file order by one task, so a running count per split is its rank.
 */
public final class RowIndexPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One input file split: the file and the byte offset where the split starts. */
  public record Unit(String file, long start) implements Serializable {}

  /**
   * The selected rows of one split.
   *
   * @param testFlags bit i set when the split's i-th row is test; only kept when a limit may cut the split
   */
  public record UnitTally(Unit unit, long rows, long testRows, BitSet testFlags) implements Serializable {}

  /**
   * A selected row's place inside its unit.
   *
   * @param row rank among the unit's selected rows
   * @param inSplit rank among the unit's selected rows of the same split (train or test)
   */
  public record Rank(long row, long inSplit) implements Serializable {}

  /** Rows before the unit, in input order: all selected, train and test. */
  public record Offsets(long selected, long train, long test) implements Serializable {}

  private final Map<Unit, Offsets> offsets;
  private final long limit;
  private final long selectedRows;
  private final long trainRows;
  private final long testRows;

  private RowIndexPlan(
      Map<Unit, Offsets> offsets, long limit, long selectedRows, long trainRows, long testRows) {
    this.offsets = offsets;
    this.limit = limit;
    this.selectedRows = selectedRows;
    this.trainRows = trainRows;
    this.testRows = testRows;
  }

  /**
   * @param fileOrder rank of each input file in input order
   * @param limit keep only the first {@code limit} rows; {@code Long.MAX_VALUE} keeps all
   */
  public static RowIndexPlan build(List<UnitTally> tallies, Map<String, Integer> fileOrder, long limit) {
    for (UnitTally t : tallies) {
      if (!fileOrder.containsKey(t.unit().file())) {
        throw new IllegalStateException("rows from a file that was not listed as input: " + t.unit().file());
      }
    }
    List<UnitTally> ordered = new ArrayList<>(tallies);
    ordered.sort(
        Comparator.comparing((UnitTally t) -> fileOrder.get(t.unit().file()))
            .thenComparingLong(t -> t.unit().start()));
    Map<Unit, Offsets> offsets = new HashMap<>();
    long selected = 0;
    long train = 0;
    long test = 0;
    for (UnitTally t : ordered) {
      offsets.put(t.unit(), new Offsets(selected, train, test));
      long kept = Math.min(t.rows(), Math.max(0, limit - selected));
      long keptTest = kept == t.rows() ? t.testRows() : testRowsAmongFirst(t, kept);
      selected += t.rows();
      train += kept - keptTest;
      test += keptTest;
    }
    return new RowIndexPlan(offsets, limit, selected, train, test);
  }

  private static long testRowsAmongFirst(UnitTally t, long rows) {
    if (t.testFlags() == null) {
      throw new IllegalStateException("a limit cuts " + t.unit() + " but its test flags were not kept");
    }
    return t.testFlags().get(0, (int) rows).cardinality();
  }

  /** Selected rows in the input, before the limit. */
  public long selectedRows() {
    return selectedRows;
  }

  public long trainRows() {
    return trainRows;
  }

  public long testRows() {
    return testRows;
  }

  /**
   * The row's index within its split (train or test) in input order, or -1 when it lies beyond the limit.
   *
   * @param rank as {@link Tally#add} gave it while the row was read
   */
  public long index(Unit unit, boolean test, Rank rank) {
    Offsets base = offsets.get(unit);
    if (base == null) {
      throw new IllegalStateException("no count for " + unit);
    }
    if (base.selected() + rank.row() >= limit) {
      return -1;
    }
    return (test ? base.test() : base.train()) + rank.inSplit();
  }

  /** Counts the selected rows of a task per split, for {@link #build}. */
  public static final class Tally {
    private final boolean keepTestFlags;
    private final Map<Unit, long[]> counts = new LinkedHashMap<>();
    private final Map<Unit, BitSet> flags = new HashMap<>();

    /** @param keepTestFlags needed when a limit is set: the split the limit cuts must know which rows are test */
    public Tally(boolean keepTestFlags) {
      this.keepTestFlags = keepTestFlags;
    }

    /** Counts the unit's next row; returns its rank. */
    public Rank add(Unit unit, boolean test) {
      long[] c = counts.computeIfAbsent(unit, u -> new long[2]);
      long row = c[0]++;
      if (keepTestFlags && test) {
        flags.computeIfAbsent(unit, u -> new BitSet()).set(Math.toIntExact(row));
      }
      long inSplit = test ? c[1]++ : row - c[1];
      return new Rank(row, inSplit);
    }

    public List<UnitTally> tallies() {
      List<UnitTally> result = new ArrayList<>(counts.size());
      counts.forEach(
          (unit, c) ->
              result.add(
                  new UnitTally(
                      unit, c[0], c[1], keepTestFlags ? flags.getOrDefault(unit, new BitSet()) : null)));
      return result;
    }
  }
}
