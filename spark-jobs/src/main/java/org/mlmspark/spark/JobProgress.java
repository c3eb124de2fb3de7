package org.mlmspark.spark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.mlmspark.cli.ProgressLine;

/**
 * Progress with ETA of the Spark jobs a step runs: tasks done of the tasks of the stages submitted so far, named by
 * the jobs' descriptions ({@link SparkContext#setJobDescription}). A bar redrawn on stderr when it is a terminal;
 * otherwise a plain line every {@code every}, so logs of scheduled runs show where a run is without a flood.
 * Spark's own console bar stays off (it has no ETA and interleaves with the log).
 */
public final class JobProgress implements AutoCloseable {
  private static final Duration TERMINAL_REDRAW = Duration.ofMillis(500);
  private static final Duration LOG_EVERY = Duration.ofSeconds(15);
  /** The local property {@link SparkContext#setJobDescription} sets. */
  private static final String JOB_DESCRIPTION = "spark.job.description";

  private final SparkContext sc;
  private final String step;
  private final PrintStream out;
  private final boolean terminal;
  private final long everyNanos;
  private final long started = System.nanoTime();
  private final Map<Integer, String> descriptions = new ConcurrentHashMap<>();
  private final Listener listener = new Listener();
  private final Thread reporter;
  private volatile boolean closed;
  private int lastWidth;

  private JobProgress(SparkContext sc, String step, PrintStream out, boolean terminal, Duration every) {
    this.sc = sc;
    this.step = step;
    this.out = out;
    this.terminal = terminal;
    this.everyNanos = every.toNanos();
    sc.addSparkListener(listener);
    reporter = new Thread(this::report, step + "-progress");
    reporter.setDaemon(true);
    reporter.start();
  }

  /** Reports on stderr: a bar on a terminal, a line every 15 s otherwise. */
  public static JobProgress start(SparkContext sc, String step) {
    boolean terminal = System.console() != null;
    return new JobProgress(sc, step, System.err, terminal, terminal ? TERMINAL_REDRAW : LOG_EVERY);
  }

  /** Plain lines every {@code every} on {@code out}. */
  public static JobProgress lines(SparkContext sc, String step, PrintStream out, Duration every) {
    return new JobProgress(sc, step, out, false, every);
  }

  /** What runs now, or null while no job has a stage running. */
  ProgressLine current() {
    SparkStatusTracker tracker = sc.statusTracker();
    long done = 0;
    long total = 0;
    String phase = null;
    for (int jobId : tracker.getActiveJobIds()) {
      SparkJobInfo job = tracker.getJobInfo(jobId).getOrElse(() -> null);
      if (job == null) {
        continue;
      }
      if (phase == null) {
        phase = descriptions.getOrDefault(jobId, "job " + jobId);
      }
      for (int stageId : job.stageIds()) {
        SparkStageInfo stage = tracker.getStageInfo(stageId).getOrElse(() -> null);
        if (stage != null && stage.submissionTime() >= 0) { // skipped and future stages run no tasks yet
          total += stage.numTasks();
          done += stage.numCompletedTasks();
        }
      }
    }
    return phase == null || total == 0 ? null : new ProgressLine(step, phase, done, total, (System.nanoTime() - started) / 1e9);
  }

  private void report() {
    long next = System.nanoTime() + everyNanos;
    while (!closed) {
      try {
        Thread.sleep(Math.max(1, (next - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        return;
      }
      next += everyNanos;
      ProgressLine line = current();
      if (line != null && !closed) {
        print(line);
      }
    }
  }

  private synchronized void print(ProgressLine line) {
    if (terminal) {
      String text = line.bar();
      out.print("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
      lastWidth = text.length();
    } else {
      out.println(line.plain());
    }
    out.flush();
  }

  @Override
  public synchronized void close() {
    closed = true;
    reporter.interrupt();
    sc.removeSparkListener(listener);
    if (terminal && lastWidth > 0) {
      out.print("\r" + " ".repeat(lastWidth) + "\r"); // the bar gives way to what the step prints next
      out.flush();
    }
  }

  /** Keeps each job's description, which the status tracker does not expose. */
  private final class Listener extends SparkListener {
    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
      String description = jobStart.properties() == null ? null
          : jobStart.properties().getProperty(JOB_DESCRIPTION);
      if (description != null) {
        descriptions.put(jobStart.jobId(), description);
      }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd jobEnd) {
      descriptions.remove(jobEnd.jobId());
    }
  }
}
