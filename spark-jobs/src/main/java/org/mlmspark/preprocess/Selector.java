package org.mlmspark.preprocess;

import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.mlmspark.eli5.Eli5Parser;
import org.mlmspark.eli5.Eli5Schema;
import org.mlmspark.eli5.ParseResult;
import org.mlmspark.eli5.RejectReason;
import org.mlmspark.preprocess.RowIndexPlan.Unit;

/**
 * The one pass over a partition's input records, in their order: parses and validates each record (a reject
 * keeps its reason and raw bytes), keeps the wanted subreddit, joins the answers (the guide's {@code flatten()}
 * then {@code " ".join}), decides train or test and ranks the row inside its file split. Emits a
 * {@link Selected.Question} or {@link Selected.Reject} per record (other subreddits are only counted) and, after
 * the last record, the partition's {@link Selected.Summary}. Lazy: holds one record at a time.
 */
final class Selector implements Iterator<Selected> {

  /**
   * One input record: the file split it was read from and its raw bytes.
   *
   * @param raw the record, or its first bytes when it is longer than {@code bytes} allows
   * @param bytes the record's length
   */
  record Line(String file, long start, byte[] raw, long bytes) {
    Line(String file, long start, byte[] raw) {
      this(file, start, raw, raw.length);
    }
  }

  /**
   * The longest input line a record may have: room for {@code --max-text-chars} characters of answers written
   * as JSON escapes (up to 6 bytes each) plus the record's other fields. Longer lines are rejected unread.
   */
  static int maxLineBytes(int maxTextChars) {
    return (int) Math.min(Integer.MAX_VALUE - 8L, 8L * maxTextChars + (1 << 20));
  }

  private final Iterator<Line> lines;
  private final Eli5Parser parser;
  private final String subreddit;
  private final TrainTestSplit split;
  private final RowIndexPlan.Tally tally;
  private final TreeMap<String, Long> rejectedByReason = new TreeMap<>();
  private final int maxLineBytes;
  private long read;
  private Selected next;
  private boolean summarized;

  /**
   * @param subreddit keep only this subreddit (case-insensitive), or null for all
   * @param keepTestFlags whether the summary needs each row's split (when a limit may cut a file split)
   */
  Selector(
      Iterator<Line> lines, Eli5Schema schema, int maxTextChars, String subreddit, TrainTestSplit split,
      boolean keepTestFlags) {
    this.lines = lines;
    this.parser = new Eli5Parser(schema, maxTextChars);
    this.maxLineBytes = maxLineBytes(maxTextChars);
    this.subreddit = subreddit == null ? null : subreddit.toLowerCase(Locale.ROOT);
    this.split = split;
    this.tally = new RowIndexPlan.Tally(keepTestFlags);
  }

  @Override
  public boolean hasNext() {
    while (next == null && lines.hasNext()) {
      next = select(lines.next());
    }
    if (next == null && !summarized) {
      next = new Selected.Summary(read, rejectedByReason, tally.tallies());
      summarized = true;
    }
    return next != null;
  }

  @Override
  public Selected next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Selected result = next;
    next = null;
    return result;
  }

  /** The line's record, or null when it is a question of another subreddit. */
  private Selected select(Line line) {
    read++;
    if (line.bytes() > line.raw().length) {
      return reject(new ParseResult.Rejected(RejectReason.LINE_TOO_LONG, "a line of " + line.bytes()
          + " bytes, more than the " + maxLineBytes + " a record may have (8 x --max-text-chars + 1 MiB); its"
          + " first " + line.raw().length + " bytes are kept"), line);
    }
    ParseResult parsed = parser.parse(line.raw());
    if (parsed instanceof ParseResult.Rejected r) {
      return reject(r, line);
    }
    ParseResult.Question q = (ParseResult.Question) parsed;
    if (subreddit != null && !q.subreddit().toLowerCase(Locale.ROOT).equals(subreddit)) {
      return null;
    }
    boolean test = split.isTest(q.qId());
    Unit unit = new Unit(line.file(), line.start());
    return new Selected.Question(unit, tally.add(unit, test), test, AnswerJoiner.join(q.answerTexts()));
  }

  private Selected reject(ParseResult.Rejected r, Line line) {
    rejectedByReason.merge(r.reason().code(), 1L, Long::sum);
    return new Selected.Reject(r.reason().code(), r.detail(), line.file(), line.raw());
  }
}
