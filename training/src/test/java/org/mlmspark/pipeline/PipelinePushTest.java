package org.mlmspark.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.hub.FakeHub;
import org.mlmspark.hub.HubSettings;
import org.mlmspark.pipeline.cli.PipelineSettings;
import org.mlmspark.spark.Sessions;
import org.mlmspark.testing.TestData;
import org.mlmspark.testing.TestSpark;
import org.mlmspark.train.TrainData;

/**
 * publish.hub-model-id: the published model goes to the Hub after the gate; a failed push fails the publish step
 * with model/ in place, and the next invocation pushes.
 */
class PipelinePushTest {
  private static final String TOKEN = "hf_fake_write_token";
  private static final String REPO = "user/eli5-mlm";

  @TempDir Path dir;

  @Test
  void aFailedPushIsRetriedByTheNextInvocation() throws Exception {
    TestSpark.session();
    Path input = Files.createDirectories(dir.resolve("input")).resolve("askscience.jsonl");
    Files.copy(TestData.projectRoot().resolve("data/eli5-sample/askscience_sample.jsonl"), input);
    Path model = TrainData.tinyModel(dir.resolve("base-model"));
    Path output = dir.resolve("eli5-out");
    Properties config = new Properties();
    config.putAll(Map.of("pipeline.output", output.toString(), "preprocess.input", input.getParent().toString(),
        "preprocess.tokenizer", TestData.distilrobertaTokenizer().toString(), "preprocess.limit", "40",
        "preprocess.block-size", "32", "preprocess.test-size", "0.1", "train.model", model.toString(),
        "train.max-steps", "2", "train.batch-size", "4", "train.device", "cpu"));
    config.putAll(Map.of("publish.hub-model-id", REPO, "publish.hub-private-repo", "true"));
    PipelineSettings settings = PipelineSettings.of(config, "test", Map.of());

    try (FakeHub hub = new FakeHub().user("user", TOKEN)) {
      HubSettings hubSettings = new HubSettings(hub.endpoint(), dir.resolve("hf-cache"), Optional.of(TOKEN), false,
          Duration.ofSeconds(10), Duration.ofSeconds(10), Optional.empty());
      hub.override("POST", "/commit/main$", 503, "{\"error\": \"Service Unavailable\"}", 1);
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      PrintStream err = System.err;
      ByteArrayOutputStream errors = new ByteArrayOutputStream();
      Outcome failed;
      try {
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        failed = new Pipeline(settings.config(), false, Sessions.hadoopConfiguration(), Clock.systemUTC(),
            new PrintStream(log, true, StandardCharsets.UTF_8), hubSettings).run();
      } finally {
        System.setErr(err);
      }
      assertEquals(Outcome.STEP_FAILED, failed, log.toString(StandardCharsets.UTF_8));
      List<String> lines = errors.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("error: "))
          .toList();
      assertEquals(1, lines.size(), errors.toString(StandardCharsets.UTF_8));
      assertTrue(lines.get(0).startsWith("error: publish failed: ") && lines.get(0).contains("HTTP 503"),
          lines.get(0));
      assertTrue(Files.isRegularFile(output.resolve("model/manifest.json")), "published locally before the push");
      assertTrue(hub.files(REPO).isEmpty());

      Outcome resumed = new Pipeline(settings.config(), false, Sessions.hadoopConfiguration(), Clock.systemUTC(),
          new PrintStream(log, true, StandardCharsets.UTF_8), hubSettings).run();
      assertEquals(Outcome.PUBLISHED, resumed, log.toString(StandardCharsets.UTF_8));
      Map<String, byte[]> pushed = hub.files(REPO);
      for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "README.md")) {
        assertArrayEquals(Files.readAllBytes(output.resolve("model").resolve(file)), pushed.get(file), file);
      }
      for (String notModel : List.of("manifest.json", "metrics.jsonl", "trainer_state.json", "loss.png")) {
        assertTrue(!pushed.containsKey(notModel), notModel);
      }
      assertTrue(hub.isPrivate(REPO));
      String card = new String(pushed.get("README.md"), StandardCharsets.UTF_8);
      assertTrue(card.contains("\n# eli5-mlm\n") && card.contains("datasets:\n- \"eli5"), card);
    }
  }
}
