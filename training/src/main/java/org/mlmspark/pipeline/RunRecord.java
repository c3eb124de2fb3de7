package org.mlmspark.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code OUTPUT/runs/<id>/run.json}: one run of the pipeline, rewritten after every step so that a crashed or
 * failed run can be continued from its last completed step.
 *
 * @param id the UTC start time, {@code yyyyMMdd'T'HHmmss.SSS'Z'}; run directories sort by it
 * @param attempts how many invocations worked on this run (more than 1 after a resume)
 * @param host host of the invocation that last worked on it
 * @param pid process id of that invocation
 * @param steps what happened to each step so far, in step order
 * @param evaluation the perplexities and the gate's decision, once evaluated
 * @param error why the last attempt failed, or null
 */
public record RunRecord(
    String id,
    RunStatus status,
    Instant startedAt,
    Instant finishedAt,
    int attempts,
    String host,
    long pid,
    RunKey key,
    List<StepRecord> steps,
    Evaluation evaluation,
    String error) {

  /** What became of a step. */
  public enum StepState {
    DONE,
    /** Not needed: its result already existed (e.g. the data for this input and settings). */
    SKIPPED,
    FAILED
  }

  /** One step's outcome, with its timing; {@code note} says what it produced or why it was skipped or failed. */
  public record StepRecord(Step step, StepState state, Instant startedAt, Instant finishedAt, double seconds,
      String note) {}

  /**
   * @param candidatePerplexity this run's model on the test split
   * @param publishedPerplexity the model published before, on the same blocks and masks; null when there was none
   *     or it could not be compared
   * @param publish the gate's decision
   */
  public record Evaluation(double candidatePerplexity, Double publishedPerplexity, boolean publish,
      String reason) {}

  public RunRecord {
    steps = List.copyOf(steps);
  }

  public static RunRecord start(String id, Instant now, String host, long pid, RunKey key) {
    return new RunRecord(id, RunStatus.RUNNING, now, null, 1, host, pid, key, List.of(), null, null);
  }

  /** Steps that need not run again: done or skipped. */
  public Set<Step> completedSteps() {
    Set<Step> completed = EnumSet.noneOf(Step.class);
    steps.stream().filter(s -> s.state() != StepState.FAILED).forEach(s -> completed.add(s.step()));
    return completed;
  }

  /** The same run taken up again by another invocation. */
  public RunRecord resumedBy(String newHost, long newPid) {
    return new RunRecord(id, RunStatus.RUNNING, startedAt, null, attempts + 1, newHost, newPid, key, steps,
        evaluation, null);
  }

  /** With {@code step}'s outcome replacing any earlier one of the same step. */
  public RunRecord with(StepRecord step) {
    List<StepRecord> updated = new ArrayList<>(steps.stream().filter(s -> s.step() != step.step()).toList());
    updated.add(step);
    updated.sort(Comparator.comparing(StepRecord::step));
    return new RunRecord(id, status, startedAt, finishedAt, attempts, host, pid, key, updated, evaluation, error);
  }

  public RunRecord with(Evaluation newEvaluation) {
    return new RunRecord(id, status, startedAt, finishedAt, attempts, host, pid, key, steps, newEvaluation, error);
  }

  public RunRecord failed(String message, Instant now) {
    return new RunRecord(id, RunStatus.FAILED, startedAt, now, attempts, host, pid, key, steps, evaluation, message);
  }

  public RunRecord ended(RunStatus newStatus, Instant now) {
    return new RunRecord(id, newStatus, startedAt, now, attempts, host, pid, key, steps, evaluation, error);
  }
}
