package org.mlmspark.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.io.output.TeeOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.pipeline.RunRecord.StepState;
import org.mlmspark.pipeline.cli.PipelineCommand;
import org.mlmspark.storage.LockOwner;
import org.mlmspark.storage.OutputLock;
import org.mlmspark.testing.ChildJvm;
import org.mlmspark.testing.TestData;
import org.mlmspark.testing.TestSpark;
import org.mlmspark.train.TrainData;

/**
 * bin/pipeline over the life of a scheduled job, on 60 questions of the bundled sample, a tiny model and a few
 * dozen steps: the first run publishes; a rerun does nothing; a held lock refuses, a stale one is taken over;
 * touched input reruns everything, and that run, killed mid-training, resumes from its checkpoint and
 * publishes; a model worse than the published one is refused by the gate; a failed step is retried. The
 * methods build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static Path config;
  private static Path input;
  private static Path output;
  private static String firstRun;

  /** What an invocation printed and returned. */
  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void setUp() throws IOException {
    TestSpark.session();
    input = Files.createDirectories(dir.resolve("input")).resolve("askscience.jsonl");
    Files.copy(TestData.projectRoot().resolve("data/eli5-sample/askscience_sample.jsonl"), input);
    Path model = TrainData.tinyModel(dir.resolve("base-model"));
    output = dir.resolve("out");
    config = dir.resolve("pipeline.properties");
    Files.writeString(config, String.join("\n",
        "pipeline.output = " + output,
        "publish.max-perplexity-increase = 0",
        "preprocess.input = " + input.getParent(),
        "preprocess.tokenizer = " + TestData.distilrobertaTokenizer(),
        "preprocess.limit = 60",
        "preprocess.block-size = 32",
        "preprocess.shards = 2",
        "preprocess.test-size = 0.1",
        "train.model = " + model,
        "train.max-steps = 16",
        "train.batch-size = 4",
        "train.learning-rate = 5e-3",
        "train.checkpoint-every = 4",
        "train.device = cpu",
        "train.log-every = 8", ""));
  }

  static Run pipeline(String... extra) {
    List<String> args = new ArrayList<>(List.of("--config", config.toString()));
    args.addAll(List.of(extra));
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      // Tee: the surefire report keeps what each run printed.
      System.setOut(new PrintStream(new TeeOutputStream(out, stdout), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new TeeOutputStream(err, stderr), true, StandardCharsets.UTF_8));
      int code = PipelineCommand.run(args.toArray(String[]::new));
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @Test
  @Order(1)
  void aBadConfigIsOneErrorLineAndExitCode2BeforeAnythingRuns() {
    Run typo = pipeline("--train.epoch", "1");
    assertEquals(2, typo.exitCode());
    assertEquals("error: unknown option --train.epoch (did you mean --train.epochs?)", typo.err().strip());
    Run invalid = pipeline("--train.learning-rate", "-1");
    assertEquals(2, invalid.exitCode());
    assertEquals("error: invalid train setting: learning rate must be >= 0", invalid.err().strip());
    Run missingInput = pipeline("--preprocess.input", dir.resolve("nowhere").toString());
    assertEquals(2, missingInput.exitCode());
    assertTrue(missingInput.err().startsWith("error: input not found: "), missingInput.err());
    assertFalse(Files.exists(output), "nothing ran");
  }

  @Test
  @Order(2)
  void theFirstRunPublishesAnEvaluatedModelAndRecordsEverything() throws Exception {
    Run run = pipeline();
    assertEquals(0, run.exitCode(), run.out() + run.err());
    List<String> runs = runIds();
    assertEquals(1, runs.size());
    firstRun = runs.get(0);
    assertTrue(run.out().contains("pipeline: published run " + firstRun), run.out());

    RunRecord record = record(firstRun);
    assertEquals(RunStatus.PUBLISHED, record.status());
    assertEquals(List.of(Step.PREPROCESS, Step.TRAIN, Step.EVALUATE, Step.PUBLISH),
        record.steps().stream().map(RunRecord.StepRecord::step).toList());
    assertTrue(record.steps().stream().allMatch(s -> s.state() == StepState.DONE && s.seconds() >= 0));
    assertTrue(record.steps().get(1).seconds() > 0, "training took time");
    assertNull(record.evaluation().publishedPerplexity());

    // The evaluate step measures what the trainer measured at its end: same blocks, masks, batches.
    Path trained = runDir(firstRun).resolve("train");
    double trainerPerplexity = lastEvalPerplexity(trained.resolve("metrics.jsonl"));
    assertEquals(trainerPerplexity, record.evaluation().candidatePerplexity(), trainerPerplexity * 1e-5);
    assertTrue(record.evaluation().candidatePerplexity() < 50_265, "the model learnt something");

    Pipeline.Published published = published();
    assertEquals(firstRun, published.run());
    assertEquals(record.evaluation().candidatePerplexity(), published.perplexity());
    assertEquals(record.key().inputFingerprint(), published.inputFingerprint());
    for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "metrics.jsonl")) {
      assertTrue(Files.isRegularFile(output.resolve("model").resolve(file)), file);
    }
    assertTrue(Files.isRegularFile(runDir(firstRun).resolve("preprocess-manifest.json")));
    assertTrue(Files.readString(runDir(firstRun).resolve("settings.properties")).contains("train.max-steps=16"));
    assertFalse(Files.exists(trained.resolve("checkpoints")), "a finished run keeps no checkpoints");
    assertFalse(Files.exists(trained.resolve("model.safetensors")), "the published copy is the one kept");
    assertFalse(Files.exists(output.resolve(Pipeline.LOCK)), "the lock is released");
  }

  @Test
  @Order(3)
  void aRerunWithUnchangedInputAndSettingsDoesNothingAndSaysSo() throws Exception {
    byte[] model = Files.readAllBytes(output.resolve("model/manifest.json"));
    Run rerun = pipeline("--train.log-every", "1"); // an operational setting: no reason to retrain
    assertEquals(0, rerun.exitCode(), rerun.err());
    assertTrue(rerun.out().contains("pipeline: up to date: run " + firstRun + " (published) had this input"),
        rerun.out());
    assertEquals(List.of(firstRun), runIds());
    assertArrayEquals(model, Files.readAllBytes(output.resolve("model/manifest.json")));
  }

  @Test
  @Order(4)
  void aLiveLockMakesARunExitWithCode3AndAStaleOneIsTakenOver() throws Exception {
    Instant now = Instant.now();
    writeLock(new LockOwner(OutputLock.localHost(), ProcessHandle.current().pid(), "live", now, now));
    Run locked = pipeline();
    assertEquals(3, locked.exitCode(), locked.out() + locked.err());
    assertTrue(locked.out().contains("pipeline: locked: another run is working on"), locked.out());

    writeLock(new LockOwner("another-host", 4242, "crashed", now.minusSeconds(7200), now.minusSeconds(3600)));
    Run takeover = pipeline();
    assertEquals(0, takeover.exitCode(), takeover.out() + takeover.err());
    assertTrue(takeover.out().contains("took over the stale lock of pid 4242 on another-host"), takeover.out());
    assertTrue(takeover.out().contains("up to date"), takeover.out());
    assertFalse(Files.exists(output.resolve(Pipeline.LOCK)));
    assertEquals(List.of(firstRun), runIds());
  }

  @Test
  @Order(5)
  void touchedInputRerunsEverythingAndARunKilledMidTrainingResumesFromItsCheckpoint() throws Exception {
    Files.setLastModifiedTime(input, FileTime.from(Instant.now().plusSeconds(3600)));
    Path log = dir.resolve("killed-run.log");
    Process child = ChildJvm.start(PipelineCommand.class, List.of("spark.master=local[2]"), log,
        "--config", config.toString());
    String killedRun;
    try {
      killedRun = awaitCheckpoint(child, log, List.of(firstRun));
    } finally {
      child.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
    }
    RunRecord killed = record(killedRun);
    assertEquals(RunStatus.RUNNING, killed.status(), "killed runs cannot record anything");
    assertEquals(StepState.DONE, killed.steps().get(0).state(), "the touched input was preprocessed again");
    assertNotEquals(record(firstRun).key().data(), killed.key().data());
    assertEquals(firstRun, published().run(), "nothing was published by the killed run");

    Run resumed = pipeline();
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertTrue(resumed.out().contains("took over the stale lock of pid " + child.pid()), resumed.out());
    assertTrue(resumed.out().contains("pipeline: resuming run " + killedRun + " (attempt 2) at train"),
        resumed.out());
    assertTrue(resumed.out().matches("(?s).*resuming at step \\d+ from .*"), resumed.out());
    RunRecord finished = record(killedRun);
    assertEquals(RunStatus.PUBLISHED, finished.status());
    assertEquals(2, finished.attempts());
    // Touching changed no content, and resuming continues exactly: the same model as the first run's.
    assertEquals(record(firstRun).evaluation().candidatePerplexity(), finished.evaluation().candidatePerplexity());
    assertEquals(finished.evaluation().candidatePerplexity(), finished.evaluation().publishedPerplexity(),
        "the model published before, measured on the new run's test blocks");
    assertEquals(killedRun, published().run());
    assertEquals(List.of(killedRun, firstRun), runIds());
    try (Stream<Path> data = Files.list(output.resolve("data"))) {
      assertEquals(List.of(killed.key().data().substring(0, 16)),
          data.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList(),
          "data of the old input is removed");
    }
  }

  @Test
  @Order(6)
  void aModelWorseThanThePublishedOneIsRefusedWithCode4AndTheRefusalIsRemembered() throws Exception {
    String publishedRun = published().run();
    Run refused = pipeline("--train.learning-rate", "0"); // other settings: a new run; no learning: worse
    assertEquals(4, refused.exitCode(), refused.out() + refused.err());
    assertTrue(refused.out().contains("refused by the evaluation gate"), refused.out());
    String refusedRun = runIds().get(0);
    RunRecord record = record(refusedRun);
    assertEquals(RunStatus.REFUSED, record.status());
    assertEquals(StepState.SKIPPED, record.steps().get(0).state(), "the data was still current");
    assertEquals(StepState.SKIPPED, record.steps().get(3).state());
    assertTrue(record.evaluation().candidatePerplexity() > record.evaluation().publishedPerplexity(),
        record.evaluation().reason());
    assertEquals(publishedRun, published().run(), "the published model stays");

    Run again = pipeline("--train.learning-rate", "0");
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("the evaluation gate kept the published model; nothing to do"), again.out());
  }

  @Test
  @Order(7)
  void aFailedStepExitsWithCode1IsRecordedAndIsRetriedByTheNextInvocation() throws Exception {
    String publishedRun = published().run();
    String model = Files.createDirectories(dir.resolve("not-a-model")).toString();
    Run failed = pipeline("--train.model", model);
    assertEquals(1, failed.exitCode(), failed.out() + failed.err());
    assertTrue(failed.err().startsWith("error: train failed: "), failed.err());
    String failedRun = runIds().get(0);
    RunRecord record = record(failedRun);
    assertEquals(RunStatus.FAILED, record.status());
    assertEquals(StepState.FAILED, record.steps().get(1).state());
    assertTrue(record.error().startsWith("train: ") && record.error().contains("config.json"), record.error());

    Run retried = pipeline("--train.model", model);
    assertEquals(1, retried.exitCode());
    assertTrue(retried.out().contains("pipeline: resuming run " + failedRun + " (attempt 2) at train"),
        retried.out());
    assertEquals(2, record(failedRun).attempts());
    assertEquals(publishedRun, published().run());
  }

  /** Waits for the child's first complete training checkpoint and returns its run id. */
  @Test
  @Order(8)
  void ctrlCMidTrainingEndsWithOneLineReleasesTheLockAndTheNextInvocationResumes() throws Exception {
    List<String> earlier = runIds();
    Files.setLastModifiedTime(input, FileTime.from(Instant.now().plusSeconds(7200)));
    Path log = dir.resolve("interrupted-run.log");
    Process child = ChildJvm.startInOwnGroup(PipelineCommand.class, List.of("spark.master=local[2]"), log,
        "--config", config.toString());
    String interruptedRun;
    try {
      interruptedRun = awaitCheckpoint(child, log, earlier);
      ChildJvm.interruptGroup(child);
      assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the run ended after Ctrl-C");
    } finally {
      child.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
    }
    assertEquals("interrupted: " + output + " left as it was; the next bin/pipeline resumes the run",
        ChildJvm.interruptedLastLine(child, log));
    assertFalse(Files.exists(output.resolve(Pipeline.LOCK)), "the lock is released");
    assertNotEquals(interruptedRun, published().run(), "nothing was published by the interrupted run");

    Run resumed = pipeline();
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertTrue(resumed.out().contains("pipeline: resuming run " + interruptedRun), resumed.out());
    assertEquals(interruptedRun, published().run());
  }

  /** The run other than {@code earlier} that has written a complete checkpoint. */
  private static String awaitCheckpoint(Process child, Path log, List<String> earlier) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    while (Instant.now().isBefore(deadline)) {
      if (!child.isAlive()) {
        fail("the run ended before it could be killed:\n" + Files.readString(log));
      }
      for (String id : runIds()) {
        Path checkpoints = runDir(id).resolve("train/checkpoints");
        if (!earlier.contains(id) && Files.isDirectory(checkpoints)) {
          try (Stream<Path> steps = Files.list(checkpoints)) {
            Optional<Path> complete = steps.filter(p -> Files.exists(p.resolve("trainer_state.json"))).findAny();
            if (complete.isPresent() && complete.get().getFileName().toString().startsWith("step-")) {
              return id;
            }
          } catch (java.nio.file.NoSuchFileException e) {
            // a checkpoint renamed while we listed; look again
          }
        }
      }
      Thread.sleep(5);
    }
    fail("the run wrote no checkpoint:\n" + Files.readString(log));
    return null;
  }

  private static void writeLock(LockOwner owner) throws IOException {
    Files.write(output.resolve(Pipeline.LOCK), owner.toJson());
  }

  private static List<String> runIds() throws IOException {
    Path runs = output.resolve("runs");
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(runs)) {
      return dirs.map(p -> p.getFileName().toString()).sorted(java.util.Comparator.reverseOrder()).toList();
    }
  }

  private static Path runDir(String id) {
    return output.resolve("runs").resolve(id);
  }

  private static RunRecord record(String id) throws IOException {
    return PipelineJson.read(Files.readAllBytes(runDir(id).resolve("run.json")), RunRecord.class);
  }

  private static Pipeline.Published published() throws IOException {
    return PipelineJson.read(Files.readAllBytes(output.resolve("model/manifest.json")), Pipeline.Published.class);
  }

  private static double lastEvalPerplexity(Path metrics) throws IOException {
    double perplexity = Double.NaN;
    for (String line : Files.readAllLines(metrics)) {
      JsonNode entry = JSON.readTree(line);
      if (entry.has("perplexity")) {
        perplexity = entry.get("perplexity").asDouble();
      }
    }
    return perplexity;
  }
}
