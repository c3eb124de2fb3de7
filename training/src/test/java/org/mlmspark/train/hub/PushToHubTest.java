package org.mlmspark.train.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.cli.Cli;
import org.mlmspark.hub.FakeHub;
import org.mlmspark.hub.HubSettings;
import org.mlmspark.inference.cli.FillMaskCommand;
import org.mlmspark.train.TrainData;
import org.mlmspark.train.cli.TrainCommand;
import org.mlmspark.train.io.TrainOutput;

/**
 * bin/train --push-to-hub against the fake Hub (which speaks the upload protocol huggingface_hub was recorded
 * speaking), then bin/fill-mask --model USER/NAME from the same Hub.
 */
class PushToHubTest {
  private static final String TOKEN = "hf_fake_write_token";
  private static final String REPO = "user/tiny-eli5";

  @TempDir static Path shared;
  @TempDir Path dir;
  private static Path data;
  private static Path model;
  private FakeHub hub;

  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void inputs() throws Exception {
    TrainData.spark();
    data = TrainData.write(shared.resolve("data"), TrainData.corpus(16, 32, 1), TrainData.corpus(4, 32, 2), 1);
    model = TrainData.tinyModel(shared.resolve("model"));
  }

  @BeforeEach
  void startHub() throws Exception {
    // the tiny model's weights (~7 MB) go up in parts of 2 MiB
    hub = new FakeHub().user("user", TOKEN).multipart(1 << 20, 2 << 20);
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private HubSettings hubSettings(Optional<String> token, String cache) {
    return new HubSettings(hub.endpoint(), dir.resolve(cache), token, false, Duration.ofSeconds(10),
        Duration.ofSeconds(10), Optional.empty());
  }

  private Run train(Optional<String> token, Path output, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("--data", data.toString(), "--model", model.toString(),
        "--output", output.toString(), "--max-steps", "4", "--batch-size", "4", "--learning-rate", "3e-3",
        "--eval-every", "2", "--checkpoint-every", "2", "--device", "cpu"));
    args.addAll(List.of(extra));
    return run(new TrainCommand(hubSettings(token, "train-cache")), args.toArray(String[]::new));
  }

  private static Run run(Callable<Integer> command, String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Cli.run(command, args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @Test
  void pushedModelFillsMasksAsTheLocalOne() throws Exception {
    Path output = dir.resolve("tiny-eli5");
    Run trained = train(Optional.of(TOKEN), output, "--push-to-hub", "--hub-model-id", REPO, "--hub-private-repo",
        "--hub-strategy", "checkpoint");
    assertEquals(0, trained.exitCode(), trained.err());
    assertTrue(trained.out().contains("pushed to the Hub: " + hub.endpoint() + "/" + REPO + "/commit/"),
        trained.out());
    assertTrue(trained.out().contains("pushed step 2 to " + REPO), trained.out());

    Map<String, byte[]> pushed = hub.files(REPO);
    for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
        "README.md")) {
      assertArrayEquals(Files.readAllBytes(output.resolve(file)), pushed.get(file), file);
    }
    // the checkpoint strategy also keeps the newest checkpoint, optimizer state included
    Set<String> lastCheckpoint = new TreeSet<>();
    pushed.keySet().stream().filter(f -> f.startsWith("last-checkpoint/")).forEach(lastCheckpoint::add);
    assertTrue(lastCheckpoint.contains("last-checkpoint/trainer_state.json"), lastCheckpoint.toString());
    assertTrue(lastCheckpoint.contains("last-checkpoint/model.safetensors"), lastCheckpoint.toString());
    assertFalse(pushed.containsKey("metrics.jsonl"));
    assertTrue(hub.isLfs(REPO, "model.safetensors"));
    assertTrue(hub.isPrivate(REPO));
    String card = new String(pushed.get("README.md"), StandardCharsets.UTF_8);
    assertTrue(card.startsWith("---\nlibrary_name: transformers\n"), card);
    assertTrue(card.contains("\n# tiny-eli5\n"), card);
    // the multipart transfer was used, and the token never went to the storage host
    assertTrue(hub.requests().stream().anyMatch(r -> r.path().contains("/part/2")));
    assertTrue(hub.requests().stream().filter(r -> r.host().startsWith("localhost:"))
        .noneMatch(FakeHub.Request::authorized));

    String text = "The Milky Way is a <mask> galaxy.";
    Run local = run(new FillMaskCommand(), "--model", output.toString(), "--top-k", "5", text);
    Run fromHub = run(new FillMaskCommand(hubSettings(Optional.of(TOKEN), "fill-cache")), "--model", REPO,
        "--top-k", "5", text);
    assertEquals(0, fromHub.exitCode(), fromHub.err());
    assertTrue(local.out().startsWith("[{\"score\":"), local.out());
    assertEquals(local.out(), fromHub.out());
    assertTrue(Files.isSymbolicLink(dir.resolve("fill-cache/models--user--tiny-eli5/snapshots")
        .resolve(hub.commitOf(REPO)).resolve("model.safetensors")));
  }

  @Test
  void aFailedPushIsOneLineAndLeavesTheTrainedModelComplete() throws Exception {
    hub.override("POST", "/commit/main$", 500, "{\"error\": \"Internal Error\"}", 1);
    Path output = dir.resolve("out");
    Run run = train(Optional.of(TOKEN), output, "--push-to-hub", "--hub-model-id", REPO);
    assertEquals(1, run.exitCode(), run.err());
    List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(1, errors.size(), run.err());
    assertTrue(errors.get(0).contains("push to the Hub failed") && errors.get(0).contains("HTTP 500")
        && errors.get(0).contains("The trained model is complete in " + output), errors.get(0));
    assertFalse(run.err().contains("\tat "), run.err());
    assertFalse(run.err().contains(TOKEN));
    assertTrue(TrainOutput.isFinished(new org.apache.hadoop.fs.Path(output.toUri()), new Configuration()));
    assertTrue(Files.isRegularFile(output.resolve("README.md")));
    assertTrue(hub.files(REPO).isEmpty());
  }

  @Test
  void withoutATokenNothingIsTrained() {
    Path output = dir.resolve("out");
    Run run = train(Optional.empty(), output, "--push-to-hub");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("error: pushing to the Hub needs a token"), run.err());
    assertFalse(Files.exists(output.resolve("model.safetensors")));
    assertEquals(0, hub.requests().size());
  }

  @Test
  void hubFlagsNeedPushToHub() {
    Run run = train(Optional.of(TOKEN), dir.resolve("out"), "--hub-model-id", REPO);
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("need --push-to-hub"), run.err());
    assertEquals(0, hub.requests().size());
  }
}
