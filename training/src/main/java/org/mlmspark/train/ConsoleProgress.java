package org.mlmspark.train;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.mlmspark.cli.ProgressLine;
import org.mlmspark.train.TrainingHistory.EvalLog;
import org.mlmspark.train.TrainingHistory.StepLog;

/**
 * What a user watches: a progress line every {@code logEvery} steps (step, epoch, mean loss since the last line,
 * lr, tokens/s, ETA), each evaluation, and at the end the guide's table (with HF's Accuracy column of a
 * compute_metrics run) and perplexity. On a terminal a bar with the ETA is also redrawn after every step, below the
 * lines, as HF Trainer's tqdm bar is.
 */
public final class ConsoleProgress implements Trainer.Listener {
  private final PrintStream out;
  private final int logEvery;
  private final long totalSteps;
  private final long firstStep;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private int barWidth;
  private double lossSum;
  private int lossCount;
  private long tokens;

  /** Lines only, as in logs and tests. */
  public ConsoleProgress(PrintStream out, int logEvery, long firstStep, long totalSteps) {
    this(out, logEvery, firstStep, totalSteps, false);
  }

  /** @param terminal also redraw a progress bar after every step */
  public ConsoleProgress(PrintStream out, int logEvery, long firstStep, long totalSteps, boolean terminal) {
    this.terminal = terminal;
    this.out = out;
    this.logEvery = logEvery;
    this.firstStep = firstStep;
    this.totalSteps = totalSteps;
  }

  @Override
  public void onStep(StepLog step, TrainStep.Result result) {
    lossSum += step.loss();
    lossCount++;
    tokens += result.tokens();
    double seconds = (System.nanoTime() - started) / 1e9;
    ProgressLine progress = new ProgressLine("train", String.format(Locale.ROOT, "step %d/%d", step.step(),
        totalSteps), step.step() - firstStep, totalSteps - firstStep, seconds);
    if (step.step() % logEvery == 0 || step.step() == totalSteps || step.step() == firstStep + 1) {
      clearBar();
      out.printf(Locale.ROOT, "step %d/%d  epoch %.2f  loss %.4f  lr %.3e  grad_norm %.3f  %.0f tokens/s  ETA %s%n",
          step.step(), totalSteps, step.epoch(), lossSum / lossCount, step.learningRate(), step.gradNorm(),
          tokens / seconds, ProgressLine.clock(progress.etaSeconds()));
      lossSum = 0;
      lossCount = 0;
    }
    if (terminal && step.step() < totalSteps) {
      String bar = progress.bar();
      out.print("\r" + bar + " ".repeat(Math.max(0, barWidth - bar.length())));
      out.flush();
      barWidth = bar.length();
    }
  }

  /** The bar gives way to a line printed in its place. */
  public void clearBar() {
    if (barWidth > 0) {
      out.print("\r" + " ".repeat(barWidth) + "\r");
      barWidth = 0;
    }
  }

  @Override
  public void onEval(EvalLog eval) {
    clearBar();
    out.printf(Locale.ROOT, "eval at step %d (epoch %.2f): loss %.4f  perplexity %.2f  accuracy %.4f  (%.1f s)%n",
        eval.step(), eval.epoch(), eval.loss(), eval.perplexity(), eval.accuracy(), eval.runtimeSeconds());
  }

  /** The guide's results table (one row per evaluation) and the final perplexity, as the notebook shows them. */
  public static void printSummary(PrintStream out, TrainingHistory history, boolean perEpoch) {
    List<EvalLog> evals = history.evals();
    if (evals.isEmpty()) {
      out.println("No test split: evaluation skipped (no validation loss, no perplexity).");
      return;
    }
    String first = perEpoch ? "Epoch" : "Step";
    out.printf("%-6s | %-13s | %-15s | %s%n", first, "Training Loss", "Validation Loss", "Accuracy");
    long previous = 0;
    for (EvalLog eval : evals) {
      String at = perEpoch ? epoch(eval.epoch()) : Long.toString(eval.step());
      out.printf(Locale.ROOT, "%-6s | %-13.6f | %-15.6f | %.6f%n", at, history.meanLoss(previous, eval.step()),
          eval.loss(), eval.accuracy());
      previous = eval.step();
    }
    out.printf(Locale.ROOT, "Perplexity: %.2f%n", evals.get(evals.size() - 1).perplexity());
  }

  /** As HF Trainer's table shows it: whole epochs as integers, a run stopped mid-epoch with two decimals (0.32). */
  static String epoch(double epoch) {
    double rounded = Math.round(epoch * 100) / 100.0;
    return rounded == Math.rint(rounded) ? String.format(Locale.ROOT, "%.0f", rounded)
        : String.format(Locale.ROOT, "%.2f", rounded).replaceAll("0$", "");
  }
}
