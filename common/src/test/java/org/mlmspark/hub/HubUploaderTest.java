package org.mlmspark.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.hub.HubException.Kind;
import org.mlmspark.testing.TestData;

/**
 * The uploader against the fake Hub, and against what {@code huggingface_hub} itself sent the same fake for the same
 * files ({@code testdata/hub/upload_*.json}, recorded by {@code tools/hub/record_upload.py}).
 */
class HubUploaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER = "user";
  private static final String TOKEN = "hf_fake_write_token";
  private static final String REPO = "user/my_awesome_eli5_mlm_model";
  /** As in tools/hub/record_upload.py: multipart above 200,000 bytes, in parts of 131,072. */
  private static final int BASIC_WEIGHTS = 100_000;
  private static final int MULTIPART_WEIGHTS = 300_000;
  private static final String CARD = "---\nlibrary_name: transformers\ntags:\n- fill-mask\n---\n\n"
      + "# my_awesome_eli5_mlm_model\n";

  @TempDir Path cacheDir;
  private FakeHub hub;

  @AfterEach
  void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  private FakeHub start() throws IOException {
    hub = new FakeHub().user(USER, TOKEN);
    return hub;
  }

  private HubSettings settings(Optional<String> token) {
    return new HubSettings(hub.endpoint(), cacheDir, token, false, Duration.ofSeconds(5), Duration.ofSeconds(5),
        Optional.empty());
  }

  private HubUploader uploader() {
    return new HubUploader(settings(Optional.of(TOKEN)));
  }

  private static Map<String, byte[]> model(int weightBytes) {
    byte[] weights = new byte[weightBytes];
    new Random(weightBytes).nextBytes(weights);
    return Map.of(
        "config.json", "{\"model_type\": \"roberta\", \"vocab_size\": 50265}".getBytes(StandardCharsets.UTF_8),
        "tokenizer.json", "{\"version\": \"1.0\", \"model\": {\"type\": \"BPE\"}}".getBytes(StandardCharsets.UTF_8),
        "tokenizer_config.json", "{\"model_max_length\": 512}".getBytes(StandardCharsets.UTF_8),
        "README.md", CARD.getBytes(StandardCharsets.UTF_8),
        "model.safetensors", weights);
  }

  private static List<HubUploader.UploadFile> files(Map<String, byte[]> model) {
    List<HubUploader.UploadFile> files = new ArrayList<>();
    model.forEach((name, bytes) ->
        files.add(new HubUploader.UploadFile(name, bytes.length, () -> new ByteArrayInputStream(bytes))));
    return files;
  }

  private HubUploader.Commit push(HubUploader uploader, Map<String, byte[]> model) throws IOException {
    uploader.createRepo(REPO, true);
    return uploader.upload(REPO, "main", files(model), "End of training");
  }

  @Test
  void sendsWhatHuggingfaceHubSendsWithTheBasicTransfer() throws IOException {
    start();
    Map<String, byte[]> model = model(BASIC_WEIGHTS);
    HubUploader.Commit commit = push(uploader(), model);
    assertEquals(distinct(recorded("upload_basic.json")), distinct(hub.recording(REPO)));
    assertEquals(hub.commitOf(REPO), commit.oid());
    assertCommitted(model);
  }

  @Test
  void sendsWhatHuggingfaceHubSendsWithTheMultipartTransfer() throws IOException {
    start().multipart(200_000, 131_072);
    Map<String, byte[]> model = model(MULTIPART_WEIGHTS);
    push(uploader(), model);
    assertEquals(distinct(recorded("upload_multipart.json")), distinct(hub.recording(REPO)));
    assertCommitted(model);
  }

  private void assertCommitted(Map<String, byte[]> model) {
    Map<String, byte[]> files = hub.files(REPO);
    assertEquals(model.keySet(), files.keySet());
    model.forEach((name, bytes) -> assertArrayEquals(bytes, files.get(name), name));
    assertTrue(hub.isLfs(REPO, "model.safetensors"));
    assertFalse(hub.isLfs(REPO, "config.json"));
    assertTrue(hub.isPrivate(REPO));
  }

  @Test
  void whatWasPushedDownloadsThroughTheHubClient() throws IOException {
    start().multipart(200_000, 131_072);
    Map<String, byte[]> model = model(MULTIPART_WEIGHTS);
    HubUploader.Commit commit = push(uploader(), model);
    HubClient client = new HubClient(settings(Optional.of(TOKEN)));
    HubFile weights = client.fetch(REPO, "model.safetensors", "main");
    assertEquals(commit.oid(), weights.commit());
    assertArrayEquals(model.get("model.safetensors"), Files.readAllBytes(weights.path()));
    // Private: without the token the repository is not there.
    HubClient anonymous = new HubClient(new HubSettings(hub.endpoint(), cacheDir.resolve("other"), Optional.empty(),
        false, Duration.ofSeconds(5), Duration.ofSeconds(5), Optional.empty()));
    assertEquals(Kind.UNAUTHORIZED, assertThrows(HubException.class,
        () -> anonymous.file(REPO, "config.json")).kind());
  }

  @Test
  void anExistingRepositoryTakesANewCommitAndStoredObjectsAreNotSentAgain() throws IOException {
    start();
    Map<String, byte[]> model = model(BASIC_WEIGHTS);
    HubUploader.Commit first = push(uploader(), model);
    int before = hub.requests().size();
    HubUploader.Commit second = push(uploader(), model);
    assertFalse(first.oid().equals(second.oid()));
    List<FakeHub.Request> again = hub.requests().subList(before, hub.requests().size());
    assertEquals(0, again.stream().filter(r -> r.method().equals("PUT")).count());
    assertTrue(again.stream().anyMatch(r -> r.path().endsWith("/commit/main")));
  }

  @Test
  void theTokenNeverReachesTheStorageHost() throws IOException {
    start().multipart(200_000, 131_072);
    push(uploader(), model(MULTIPART_WEIGHTS));
    List<FakeHub.Request> storage = hub.requests().stream().filter(r -> r.host().startsWith("localhost:")).toList();
    assertEquals(3, storage.size());
    assertTrue(storage.stream().noneMatch(FakeHub.Request::authorized));
  }

  @Test
  void aRepositoryIdWithoutNamespaceIsCompletedByWhoami() throws IOException {
    start();
    assertEquals(USER, uploader().whoami());
  }

  @Test
  void aTokenThatMayNotCreateRepositoriesCanStillPushToAnExistingOne() throws IOException {
    start();
    uploader().createRepo(REPO, false);
    hub.override("POST", "^/api/repos/create$", 403, "{\"error\": \"You don't have the rights\"}", 2);
    assertEquals(hub.endpoint() + "/" + REPO, uploader().createRepo(REPO, false));
    HubException missing = assertThrows(HubException.class, () -> uploader().createRepo("user/other", false));
    assertEquals(Kind.UNAUTHORIZED, missing.kind());
    assertTrue(missing.getMessage().contains("HTTP 403"), missing.getMessage());
  }

  @Test
  void noTokenIsOneClearErrorBeforeAnyRequest() throws IOException {
    start();
    HubUploader anonymous = new HubUploader(settings(Optional.empty()));
    HubException e = assertThrows(HubException.class, () -> push(anonymous, model(BASIC_WEIGHTS)));
    assertEquals(Kind.UNAUTHORIZED, e.kind());
    assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
    assertEquals(0, hub.requests().size());
  }

  @Test
  void aRejectedTokenSaysSoAndIsNotPrinted() throws IOException {
    start();
    HubUploader wrong = new HubUploader(settings(Optional.of("hf_wrong_secret")));
    HubException e = assertThrows(HubException.class, () -> push(wrong, model(BASIC_WEIGHTS)));
    assertEquals(Kind.UNAUTHORIZED, e.kind());
    assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
    assertFalse(e.getMessage().contains("hf_wrong_secret"));
  }

  @Test
  void malformedHubAnswersFailBeforeTheCommit() throws IOException {
    String[][] cases = {
        {"POST", "/preupload/", "{\"files\": [{\"path\": \"other.bin\", \"uploadMode\": \"lfs\"}]}"},
        {"POST", "/preupload/", "{\"files\": [{\"path\": \"config.json\", \"uploadMode\": \"xet\"}]}"},
        {"POST", "/preupload/", "[]"},
        {"POST", "/objects/batch", "{\"objects\": [{\"oid\": \"" + "0".repeat(64) + "\", \"size\": 1}]}"},
        {"POST", "/objects/batch", "{\"transfer\": \"xet\", \"objects\": []}"},
        {"POST", "/objects/batch", "not json"},
    };
    for (String[] c : cases) {
      start();
      hub.override(c[0], c[1], 200, c[2], 1);
      HubException e = assertThrows(HubException.class, () -> push(uploader(), model(BASIC_WEIGHTS)), c[2]);
      assertEquals(Kind.PROTOCOL, e.kind(), e.getMessage());
      assertTrue(hub.files(REPO).isEmpty(), c[2]);
      hub.close();
    }
    hub = null;
  }

  @Test
  void aMultipartAnswerWithTheWrongNumberOfPartsIsRefused() throws IOException {
    start().multipart(200_000, 131_072);
    String oid = FakeHub.sha256(model(MULTIPART_WEIGHTS).get("model.safetensors"));
    String storage = "http://localhost:" + hub.endpoint().getPort() + "/storage/" + oid;
    hub.override("POST", "/objects/batch", 200, "{\"transfer\": \"multipart\", \"objects\": [{\"oid\": \"" + oid
        + "\", \"size\": " + MULTIPART_WEIGHTS + ", \"actions\": {\"upload\": {\"href\": \"" + hub.endpoint()
        + "/api/complete_multipart\", \"header\": {\"chunk_size\": \"131072\", \"1\": \"" + storage + "/part/1\", \"2\": \""
        + storage + "/part/2\"}}}}]}", 1);
    HubException e = assertThrows(HubException.class, () -> push(uploader(), model(MULTIPART_WEIGHTS)));
    assertEquals(Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("part 3"), e.getMessage());
    assertEquals(0, hub.requests().stream().filter(r -> r.method().equals("PUT")).count());
  }

  @Test
  void aFailedStorageUploadOrCommitLeavesTheRepositoryAsItWas() throws IOException {
    start();
    hub.override("PUT", "^/storage/", 500, "{}", 1);
    HubException upload = assertThrows(HubException.class, () -> push(uploader(), model(BASIC_WEIGHTS)));
    assertTrue(upload.getMessage().contains("upload of model.safetensors failed"), upload.getMessage());
    assertFalse(upload.getMessage().contains("signature"), upload.getMessage()); // no signed URL in messages
    assertTrue(hub.files(REPO).isEmpty());

    hub.override("POST", "/commit/main$", 200, "{\"commitUrl\": \"x\"}", 1);
    HubException commit = assertThrows(HubException.class, () -> push(uploader(), model(BASIC_WEIGHTS)));
    assertEquals(Kind.PROTOCOL, commit.kind());
    assertTrue(commit.getMessage().contains("commit id"), commit.getMessage());
  }

  @Test
  void invalidCardMetadataFailsBeforeAnyUpload() throws IOException {
    start();
    Map<String, byte[]> model = new java.util.HashMap<>(model(BASIC_WEIGHTS));
    model.put("README.md", "---\nlibrary_name: transformers\n".getBytes(StandardCharsets.UTF_8));
    uploader().createRepo(REPO, false);
    HubException e = assertThrows(HubException.class, () -> uploader().upload(REPO, "main", files(model), "x"));
    assertTrue(e.getMessage().contains("README.md"), e.getMessage());
    assertEquals(0, hub.requests().stream().filter(r -> r.path().contains("preupload")).count());
    assertFalse(hub.isPrivate(REPO));
  }

  private static JsonNode recorded(String name) throws IOException {
    return JSON.readTree(TestData.require("hub").resolve(name).toFile());
  }

  /**
   * huggingface_hub validates README.md twice (in upload_folder and again in create_commit); the protocol is the
   * same when consecutive identical requests count once.
   */
  private static ArrayNode distinct(JsonNode recording) {
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode request : recording) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(request)) {
        out.add(request);
      }
    }
    return out;
  }
}
