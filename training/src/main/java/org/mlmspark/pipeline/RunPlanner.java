package org.mlmspark.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what an invocation does, from the current input and settings ({@link RunKey}) and the run records: nothing
 * (up to date), continue an unfinished run from its last completed step, or start a new run. Pure: the records and
 * the file checks are the caller's.
 */
public final class RunPlanner {
  /** What to do. */
  public sealed interface Plan permits UpToDate, Resume, Start {}

  /** The last finished run had this input and settings: nothing to do. */
  public record UpToDate(RunRecord last) implements Plan {}

  /** Continue {@code run} (crashed or failed, same input and settings) with {@code steps}. */
  public record Resume(RunRecord run, List<Step> steps) implements Plan {}

  /**
   * A new run of {@code steps}; {@code superseded} is an unfinished run for other input or settings that it
   * replaces, or null.
   */
  public record Start(List<Step> steps, RunRecord superseded) implements Plan {}

  private RunPlanner() {}

  /**
   * @param latest the newest run record, whatever its status
   * @param lastFinished the newest published or refused run
   * @param dataReady whether the preprocessed data of {@code current.data()} is committed
   */
  public static Plan plan(RunKey current, boolean force, Optional<RunRecord> latest,
      Optional<RunRecord> lastFinished, boolean dataReady) {
    RunRecord unfinished = latest.filter(r -> r.status().resumable()).orElse(null);
    if (unfinished != null && !force && unfinished.key().equals(current)) {
      Set<Step> completed = unfinished.completedSteps();
      if (!dataReady) {
        completed.remove(Step.PREPROCESS); // the data it made is gone: make it again
      }
      return new Resume(unfinished, Arrays.stream(Step.values()).filter(s -> !completed.contains(s)).toList());
    }
    if (!force && lastFinished.map(r -> r.key().equals(current)).orElse(false)) {
      return new UpToDate(lastFinished.get());
    }
    List<Step> steps = Arrays.stream(Step.values())
        .filter(s -> s != Step.PREPROCESS || force || !dataReady)
        .toList();
    return new Start(steps, unfinished);
  }
}
