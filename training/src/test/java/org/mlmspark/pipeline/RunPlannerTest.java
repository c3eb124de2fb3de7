package org.mlmspark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mlmspark.pipeline.RunPlanner.Plan;
import org.mlmspark.pipeline.RunPlanner.Resume;
import org.mlmspark.pipeline.RunPlanner.Start;
import org.mlmspark.pipeline.RunPlanner.UpToDate;
import org.mlmspark.pipeline.RunRecord.StepRecord;
import org.mlmspark.pipeline.RunRecord.StepState;

class RunPlannerTest {
  private static final RunKey KEY = new RunKey("input-1", "data-1", "run-1");
  private static final RunKey NEW_INPUT = new RunKey("input-2", "data-2", "run-2");
  private static final RunKey NEW_TRAINING = new RunKey("input-1", "data-1", "run-3");
  private static final List<Step> ALL = List.of(Step.PREPROCESS, Step.TRAIN, Step.EVALUATE, Step.PUBLISH);
  private static final List<Step> WITHOUT_PREPROCESS = List.of(Step.TRAIN, Step.EVALUATE, Step.PUBLISH);

  private static RunRecord run(String id, RunKey key, RunStatus status, Step... done) {
    RunRecord record = RunRecord.start(id, Instant.EPOCH, "host", 1, key);
    for (Step step : done) {
      record = record.with(new StepRecord(step, StepState.DONE, Instant.EPOCH, Instant.EPOCH, 0, ""));
    }
    return status == RunStatus.RUNNING ? record
        : status == RunStatus.FAILED ? record.failed("boom", Instant.EPOCH) : record.ended(status, Instant.EPOCH);
  }

  private static Plan plan(RunKey current, boolean force, RunRecord latest, RunRecord lastFinished,
      boolean dataReady) {
    return RunPlanner.plan(current, force, Optional.ofNullable(latest), Optional.ofNullable(lastFinished),
        dataReady);
  }

  @Test
  void theFirstRunDoesEveryStep() {
    Start start = assertInstanceOf(Start.class, plan(KEY, false, null, null, false));
    assertEquals(ALL, start.steps());
    assertNull(start.superseded());
  }

  @Test
  void unchangedInputAndSettingsAfterAFinishedRunIsUpToDate() {
    for (RunStatus finished : List.of(RunStatus.PUBLISHED, RunStatus.REFUSED)) {
      RunRecord last = run("1", KEY, finished, Step.values());
      assertSame(last, assertInstanceOf(UpToDate.class, plan(KEY, false, last, last, true)).last());
    }
  }

  @Test
  void forceRerunsEveryStepEvenWhenUpToDate() {
    RunRecord last = run("1", KEY, RunStatus.PUBLISHED, Step.values());
    assertEquals(ALL, assertInstanceOf(Start.class, plan(KEY, true, last, last, true)).steps());
  }

  @Test
  void changedInputReprocessesAndRetrains() {
    RunRecord last = run("1", KEY, RunStatus.PUBLISHED, Step.values());
    assertEquals(ALL, assertInstanceOf(Start.class, plan(NEW_INPUT, false, last, last, false)).steps());
  }

  @Test
  void changedTrainingSettingsRetrainOnTheExistingData() {
    RunRecord last = run("1", KEY, RunStatus.PUBLISHED, Step.values());
    assertEquals(WITHOUT_PREPROCESS,
        assertInstanceOf(Start.class, plan(NEW_TRAINING, false, last, last, true)).steps());
  }

  @Test
  void aCrashedOrFailedRunResumesAfterItsLastCompletedStep() {
    RunRecord finished = run("1", KEY, RunStatus.PUBLISHED, Step.values());
    for (RunStatus status : List.of(RunStatus.RUNNING, RunStatus.FAILED)) {
      RunRecord crashed = run("2", NEW_INPUT, status, Step.PREPROCESS);
      Resume resume = assertInstanceOf(Resume.class, plan(NEW_INPUT, false, crashed, finished, true));
      assertSame(crashed, resume.run());
      assertEquals(WITHOUT_PREPROCESS, resume.steps());
    }
    RunRecord evaluated = run("3", KEY, RunStatus.FAILED, Step.PREPROCESS, Step.TRAIN, Step.EVALUATE);
    assertEquals(List.of(Step.PUBLISH),
        assertInstanceOf(Resume.class, plan(KEY, false, evaluated, null, true)).steps());
  }

  @Test
  void aResumedRunRemakesItsDataWhenItIsGone() {
    RunRecord crashed = run("2", KEY, RunStatus.RUNNING, Step.PREPROCESS, Step.TRAIN);
    assertEquals(List.of(Step.PREPROCESS, Step.EVALUATE, Step.PUBLISH),
        assertInstanceOf(Resume.class, plan(KEY, false, crashed, null, false)).steps());
  }

  @Test
  void anUnfinishedRunForOtherInputIsSupersededByANewRun() {
    RunRecord crashed = run("2", KEY, RunStatus.RUNNING, Step.PREPROCESS);
    Start start = assertInstanceOf(Start.class, plan(NEW_INPUT, false, crashed, null, false));
    assertEquals(ALL, start.steps());
    assertSame(crashed, start.superseded());
  }

  @Test
  void forceStartsOverInsteadOfResuming() {
    RunRecord crashed = run("2", KEY, RunStatus.FAILED, Step.PREPROCESS, Step.TRAIN);
    Start start = assertInstanceOf(Start.class, plan(KEY, true, crashed, null, true));
    assertEquals(ALL, start.steps());
    assertSame(crashed, start.superseded());
  }

  @Test
  void inputRevertedToThatOfTheLastFinishedRunIsUpToDateDespiteAnAbandonedRun() {
    RunRecord finished = run("1", KEY, RunStatus.PUBLISHED, Step.values());
    RunRecord abandoned = run("2", NEW_INPUT, RunStatus.FAILED, Step.PREPROCESS);
    assertInstanceOf(UpToDate.class, plan(KEY, false, abandoned, finished, true));
  }

  @Test
  void supersededRunsAreNeitherResumedNorCountedAsFinished() {
    RunRecord superseded = run("2", KEY, RunStatus.SUPERSEDED, Step.PREPROCESS);
    Start start = assertInstanceOf(Start.class, plan(KEY, false, superseded, null, true));
    assertEquals(WITHOUT_PREPROCESS, start.steps());
    assertNull(start.superseded());
  }
}
