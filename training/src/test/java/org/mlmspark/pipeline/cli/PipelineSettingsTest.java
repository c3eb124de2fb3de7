package org.mlmspark.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mlmspark.cli.UserError;
import org.mlmspark.pipeline.PipelineConfig;
import org.mlmspark.preprocess.PreprocessSettings;
import org.mlmspark.testing.TestData;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.job.TrainRun;

class PipelineSettingsTest {
  private static Properties file(String... keyValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return properties;
  }

  private static final Properties MINIMAL = file("pipeline.output", "out", "preprocess.input", "a.jsonl  b.jsonl",
      "train.model", "m");

  @Test
  void fileValuesBecomeTheStepsSettingsAndCommandLineValuesOverrideThem() {
    Properties properties = new Properties();
    properties.putAll(MINIMAL);
    properties.setProperty("train.epochs", "3");
    properties.setProperty("preprocess.limit", ""); // an empty template line means: the step's default
    PipelineSettings settings = PipelineSettings.of(properties, "test.properties",
        Map.of("train.epochs", List.of("1"), "preprocess.input", List.of("c.jsonl")));
    PipelineConfig config = settings.config();
    assertEquals(List.of("c.jsonl"), config.preprocess().inputs());
    assertEquals(null, config.preprocess().limit(), "the step's default");
    assertEquals("m", config.train().model());
    assertEquals(new TrainingSettings(1, 2e-5, 0.01, 8, 0.15, 42, 0, 0, 1.0, 1, 0, 0, 500, false),
        config.train().recipe(), "the guide's recipe but for the epochs");
    assertEquals("out", settings.output());
    assertEquals("out", config.output());
  }

  @Test
  void severalPathsInTheFileAreSeparatedBySpaces() {
    assertEquals(List.of("a.jsonl", "b.jsonl"),
        PipelineSettings.of(MINIMAL, "f", Map.of()).config().preprocess().inputs());
  }

  @Test
  void unknownMissingAndInvalidSettingsAreOneClearError() {
    Properties typo = new Properties();
    typo.putAll(MINIMAL);
    typo.setProperty("train.epoch", "1");
    assertEquals("unknown setting train.epoch in conf.properties (did you mean train.epochs?) (bin/pipeline --help"
        + " lists the settings)", assertThrows(UserError.class, () -> PipelineSettings.of(typo, "conf.properties",
        Map.of())).getMessage());
    assertEquals("missing setting train.model (in the config file, or --train.model VALUE)",
        assertThrows(UserError.class, () -> PipelineSettings.of(file("pipeline.output", "o", "preprocess.input",
            "i"), "f", Map.of())).getMessage());
    assertEquals("invalid train setting: train.epochs must be a number, got many",
        message(Map.of("train.epochs", List.of("many"))));
    assertEquals("invalid preprocess setting: preprocess.group-by must be one of batch, partition, got rows",
        message(Map.of("preprocess.group-by", List.of("rows"))));
    assertEquals("invalid train setting: train.tf32 must be true or false, got yes",
        message(Map.of("train.tf32", List.of("yes"))));
    assertEquals("invalid train setting: mlm probability must be in (0, 1)",
        message(Map.of("train.mlm-probability", List.of("2"))));
    assertEquals("preprocess.test-size must be > 0: the pipeline publishes a model only after evaluating it on the"
        + " test split", message(Map.of("preprocess.test-size", List.of("0"))));
    assertTrue(message(Map.of("publish.max-perplexity-increase", List.of("-1")))
        .startsWith("publish.max-perplexity-increase must be a fraction >= 0"));
    assertEquals("train.output is set by the pipeline: data, checkpoints and models live under pipeline.output,"
        + " and crashed runs resume by themselves", message(Map.of("train.output", List.of("x"))));
  }

  private static String message(Map<String, List<String>> overrides) {
    return assertThrows(UserError.class, () -> PipelineSettings.of(MINIMAL, "f", overrides)).getMessage();
  }

  @Test
  void onlySettingsThatShapeTheResultChangeTheHashes() {
    PipelineSettings base = PipelineSettings.of(MINIMAL, "f", Map.of());
    PipelineSettings operational = PipelineSettings.of(MINIMAL, "f", Map.of("train.log-every", List.of("1"),
        "train.device", List.of("cpu"), "pipeline.lock-stale-after", List.of("30"), "pipeline.output",
        List.of("elsewhere")));
    assertEquals(base.dataSettingsHash(), operational.dataSettingsHash());
    assertEquals(base.runSettingsHash(), operational.runSettingsHash());

    PipelineSettings training = PipelineSettings.of(MINIMAL, "f", Map.of("train.learning-rate", List.of("1e-3")));
    assertEquals(base.dataSettingsHash(), training.dataSettingsHash());
    assertNotEquals(base.runSettingsHash(), training.runSettingsHash());

    PipelineSettings preprocessing = PipelineSettings.of(MINIMAL, "f", Map.of("preprocess.block-size", List.of("64")));
    assertNotEquals(base.dataSettingsHash(), preprocessing.dataSettingsHash());
    PipelineSettings gate = PipelineSettings.of(MINIMAL, "f",
        Map.of("publish.max-perplexity-increase", List.of("0.1")));
    assertNotEquals(base.runSettingsHash(), gate.runSettingsHash());
  }

  @Test
  void everyStepFlagButThoseThePipelineSetsIsASetting() {
    Set<String> keys = new HashSet<>(PipelineSettings.all().stream().map(PipelineSettings.Setting::key).toList());
    assertTrue(keys.containsAll(List.of("preprocess.input", "preprocess.max-text-chars", "train.model",
        "train.workers", "train.collective-timeout", "pipeline.output", "publish.max-perplexity-increase")));
    for (String owned : List.of("preprocess.output", "train.data", "train.output", "train.resume",
        "train.inject-failure", "train.help", "preprocess.version")) {
      assertTrue(!keys.contains(owned), owned);
    }
  }

  @Test
  void wholeWordMaskingNeedsTheWordStartsOfPreprocessing() {
    UserError error = assertThrows(UserError.class, () -> PipelineSettings.of(MINIMAL, "f",
        Map.of("train.whole-word-mask", List.of("true"))));
    assertTrue(error.getMessage().contains("preprocess.word-starts"), error.getMessage());
    PipelineSettings both = PipelineSettings.of(MINIMAL, "f", Map.of("train.whole-word-mask", List.of("true"),
        "preprocess.word-starts", List.of("true")));
    assertTrue(both.config().train().recipe().wholeWordMask());
    assertTrue(both.config().preprocess().wordStarts());
  }

  @Test
  void theShippedConfigLoadsAndListsEverySetting() throws IOException {
    Path conf = TestData.projectRoot().resolve("conf/eli5-mlm.properties");
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(conf)) {
      properties.load(reader);
    }
    PipelineSettings settings = PipelineSettings.of(properties, conf.toString(), Map.of());
    PipelineConfig config = settings.config();
    assertEquals(PreprocessSettings.guide(List.of("data/eli5-sample"), config.preprocess().output(),
        "distilroberta-base"), config.preprocess(), "the shipped config is the guide's preprocessing");
    assertEquals(TrainRun.of(config.train().data(), "distilroberta-base", config.train().output(),
        TrainingSettings.guide()).with(config.train().data(), config.train().output(), TrainRun.Resume.FRESH),
        withoutModelName(config.train()), "the shipped config is the guide's training");
    Set<String> documented = new HashSet<>();
    Matcher keyLine = Pattern.compile("(?m)^#?\\s*([a-z]+\\.[a-z0-9-]+)\\s*=").matcher(Files.readString(conf));
    while (keyLine.find()) {
      documented.add(keyLine.group(1));
    }
    for (PipelineSettings.Setting setting : PipelineSettings.all()) {
      assertTrue(documented.contains(setting.key()), setting.key() + " is missing from " + conf);
    }
  }

  @Test
  void thePublishStepPushesToTheHubNotTheTrainStep() {
    Properties hub = new Properties();
    hub.putAll(MINIMAL);
    hub.setProperty("publish.hub-model-id", "user/eli5-mlm");
    hub.setProperty("publish.hub-private-repo", "true");
    PipelineSettings settings = PipelineSettings.of(hub, "f", Map.of());
    assertEquals("user/eli5-mlm", settings.hubModelId().orElseThrow());
    assertTrue(settings.hubPrivateRepo());
    assertEquals("eli5-mlm", settings.modelName());
    assertEquals("out", PipelineSettings.of(MINIMAL, "f", Map.of()).modelName());

    for (String key : List.of("train.push-to-hub", "train.hub-model-id", "train.hub-strategy")) {
      UserError refused = assertThrows(UserError.class,
          () -> PipelineSettings.of(MINIMAL, "f", Map.of(key, List.of("x"))));
      assertEquals(key + " is not a pipeline setting: the publish step pushes the published model to the Hub, after"
          + " the evaluation gate; set publish.hub-model-id (and publish.hub-private-repo)", refused.getMessage());
    }
    UserError badId = assertThrows(UserError.class,
        () -> PipelineSettings.of(MINIMAL, "f", Map.of("publish.hub-model-id", List.of("a/b/c"))));
    assertTrue(badId.getMessage().startsWith("publish.hub-model-id must be a Hub repository id"), badId.getMessage());
    UserError badPrivate = assertThrows(UserError.class,
        () -> PipelineSettings.of(MINIMAL, "f", Map.of("publish.hub-private-repo", List.of("yes"))));
    assertEquals("publish.hub-private-repo must be true or false, got yes", badPrivate.getMessage());
  }

  private static TrainRun withoutModelName(TrainRun run) {
    return new TrainRun(run.data(), run.model(), run.tokenizer(), run.output(), run.recipe(), run.resume(),
        run.compute(), run.workers(), run.collectiveTimeout(), run.keepCheckpoints(), run.logEvery(), run.reportTo(),
        run.push(), null);
  }
}
