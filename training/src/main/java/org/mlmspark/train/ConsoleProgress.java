package org.mlmspark.train;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.mlmspark.train.TrainingHistory.EvalLog;
import org.mlmspark.train.TrainingHistory.StepLog;

/**
 * What a user watches: a progress line every {@code logEvery} steps (step, epoch, mean loss since the last line,
 * lr, tokens/s, ETA), each evaluation, and at the end the guide's table (with HF's Accuracy column of a compute_metrics run) and perplexity.
 */
public final class ConsoleProgress implements Trainer.Listener {
  private final PrintStream out;
  private final int logEvery;
  private final long totalSteps;
  private final long firstStep;
  private final long started = System.nanoTime();
  private double lossSum;
  private int lossCount;
  private long tokens;

  public ConsoleProgress(PrintStream out, int logEvery, long firstStep, long totalSteps) {
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
    if (step.step() % logEvery != 0 && step.step() != totalSteps && step.step() != firstStep + 1) {
      return;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long done = step.step() - firstStep;
    double eta = seconds / done * (totalSteps - step.step());
    out.printf(Locale.ROOT, "step %d/%d  epoch %.2f  loss %.4f  lr %.3e  grad_norm %.3f  %.0f tokens/s  ETA %s%n",
        step.step(), totalSteps, step.epoch(), lossSum / lossCount, step.learningRate(), step.gradNorm(),
        tokens / seconds, duration(eta));
    lossSum = 0;
    lossCount = 0;
  }

  @Override
  public void onEval(EvalLog eval) {
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

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
        : String.format("%dm%02ds", s / 60, s % 60);
  }
}
