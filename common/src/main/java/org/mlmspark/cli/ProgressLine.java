package org.mlmspark.cli;

import java.util.Locale;

/**
 * One progress report of a long step: what runs, tasks done of those known, time spent and the time left at the
 * rate so far. On a terminal it is a bar redrawn in place; otherwise a plain line, printed now and then.
 */
public record ProgressLine(String step, String phase, long done, long total, double elapsedSeconds) {
  private static final int BAR_WIDTH = 24;

  /** Seconds left at the rate so far, or NaN before the first task finished. */
  public double etaSeconds() {
    return done <= 0 || total <= 0 ? Double.NaN : elapsedSeconds / done * Math.max(0, total - done);
  }

  /** {@code preprocess: tokenize train: 14/32 tasks (44 %), 0:12 elapsed, ETA 0:15}. */
  public String plain() {
    return String.format(Locale.ROOT, "%s: %s: %d/%d tasks (%d %%), %s elapsed, ETA %s", step, phase, done, total,
        percent(), clock(elapsedSeconds), clock(etaSeconds()));
  }

  /** {@code preprocess [==========>             ]  44 % tokenize train  ETA 0:15}, for a terminal. */
  public String bar() {
    int filled = total <= 0 ? 0 : (int) (BAR_WIDTH * Math.min(done, total) / total);
    String bar = "=".repeat(filled) + (filled < BAR_WIDTH ? ">" + " ".repeat(BAR_WIDTH - filled - 1) : "");
    return String.format(Locale.ROOT, "%s [%s] %3d %% %s  ETA %s", step, bar, percent(), phase,
        clock(etaSeconds()));
  }

  private int percent() {
    return total <= 0 ? 0 : (int) (100 * Math.min(done, total) / total);
  }

  /** {@code 0:05}, {@code 12:30}, {@code 1:02:03}; {@code ?} when unknown. */
  public static String clock(double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
