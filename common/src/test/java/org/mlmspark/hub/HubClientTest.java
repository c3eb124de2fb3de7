package org.mlmspark.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.hub.HubException.Kind;

class HubClientTest {
  private static final String TOKEN = "hf_testsecret123";
  private static final byte[] TOKENIZER = "{\"version\":\"1.0\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] WEIGHTS = new byte[300_000];

  static {
    new Random(7).nextBytes(WEIGHTS);
  }

  @TempDir Path cacheDir;
  private FakeHub hub;

  @BeforeEach
  void startHub() throws IOException {
    hub = new FakeHub()
        .file("org/model", "tokenizer.json", TOKENIZER, false)
        .file("org/model", "model.safetensors", WEIGHTS, true)
        .file("org/model", "sub/dir/config.json", TOKENIZER, false)
        .file("distilbert/distilroberta-base", "tokenizer.json", TOKENIZER, false)
        .file("org/secret", "config.json", TOKENIZER, false)
        .privateRepo("org/secret", TOKEN)
        .renamed("distilroberta-base", "distilbert/distilroberta-base");
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private HubClient client(URI endpoint, Optional<String> token, boolean offline) {
    return new HubClient(new HubSettings(endpoint, cacheDir, token, offline, Duration.ofSeconds(5),
        Duration.ofSeconds(5), Optional.empty()));
  }

  private HubClient client() {
    return client(hub.endpoint(), Optional.of(TOKEN), false);
  }

  @Test
  void downloadsIntoTheHuggingfaceHubCacheLayout() throws IOException {
    HubClient client = client();
    HubFile tokenizer = client.fetch("org/model", "tokenizer.json", "main");
    Path model = client.file("org/model", "model.safetensors");

    Path repo = cacheDir.resolve("models--org--model");
    assertEquals(HubFile.Origin.DOWNLOADED, tokenizer.origin());
    assertEquals(hub.commit, tokenizer.commit());
    assertEquals(repo.resolve("snapshots").resolve(hub.commit).resolve("tokenizer.json"), tokenizer.path());
    assertEquals(hub.commit, Files.readString(repo.resolve("refs/main")));
    // Small files are named by their git blob id, LFS files by their sha256, both behind relative symlinks.
    assertTrue(Files.isSymbolicLink(tokenizer.path()));
    assertEquals(Path.of("../../blobs/" + FakeHub.gitBlobSha1(TOKENIZER)), Files.readSymbolicLink(tokenizer.path()));
    assertEquals(Path.of("../../blobs/" + FakeHub.sha256(WEIGHTS)), Files.readSymbolicLink(model));
    assertArrayEquals(TOKENIZER, Files.readAllBytes(tokenizer.path()));
    assertArrayEquals(WEIGHTS, Files.readAllBytes(model));
    assertEquals(List.of(), leftovers());
  }

  @Test
  void nestedFilesLinkBackToTheBlobs() throws IOException {
    Path nested = client().file("org/model", "sub/dir/config.json");
    assertEquals(Path.of("../../../../blobs/" + FakeHub.gitBlobSha1(TOKENIZER)), Files.readSymbolicLink(nested));
    assertArrayEquals(TOKENIZER, Files.readAllBytes(nested));
  }

  @Test
  void sendsTheTokenToTheHubButNeverToTheCdn() throws IOException {
    client().file("org/model", "model.safetensors");
    List<FakeHub.Request> requests = hub.requests();
    assertTrue(requests.stream().filter(r -> r.path().contains("/resolve/")).allMatch(FakeHub.Request::authorized));
    List<FakeHub.Request> cdn = requests.stream().filter(r -> r.path().startsWith("/cdn/")).toList();
    assertEquals(1, cdn.size());
    assertTrue(cdn.get(0).host().startsWith("localhost:"));
    assertFalse(cdn.get(0).authorized());
  }

  @Test
  void asksTheHubAgainButDownloadsOnlyOnce() throws IOException {
    HubClient client = client();
    client.file("org/model", "model.safetensors");
    HubFile again = client.fetch("org/model", "model.safetensors", "main");
    assertEquals(HubFile.Origin.CACHED, again.origin());
    assertEquals(2, hub.count("HEAD"));
    assertEquals(1, hub.count("GET"));
  }

  @Test
  void aCachedCommitNeedsNoRequestAtAll() throws IOException {
    HubClient client = client();
    client.file("org/model", "tokenizer.json");
    int before = hub.requests().size();
    HubFile pinned = client.fetch("org/model", "tokenizer.json", hub.commit);
    assertEquals(HubFile.Origin.CACHED, pinned.origin());
    assertEquals(before, hub.requests().size());
  }

  @Test
  void followsTheHubsRedirectForRenamedRepositories() throws IOException {
    Path path = client().file("distilroberta-base", "tokenizer.json");
    assertEquals(cacheDir.resolve("models--distilroberta-base/snapshots").resolve(hub.commit).resolve("tokenizer.json"),
        path);
    assertArrayEquals(TOKENIZER, Files.readAllBytes(path));
  }

  @Test
  void aMissingFileIsRememberedAndOptionalFilesComeBackEmpty() throws IOException {
    HubClient client = client();
    HubException missing = assertThrows(HubException.class, () -> client.file("org/model", "pytorch_model.bin"));
    assertEquals(Kind.ENTRY_NOT_FOUND, missing.kind());
    assertEquals(Optional.empty(), client.optionalFile("org/model", "model.safetensors.index.json"));
    assertTrue(Files.exists(cacheDir.resolve("models--org--model/.no_exist").resolve(hub.commit)
        .resolve("model.safetensors.index.json")));
    // Offline, the recorded absence still answers the question.
    int before = hub.requests().size();
    HubClient offline = client(hub.endpoint(), Optional.empty(), true);
    assertEquals(Optional.empty(), offline.optionalFile("org/model", "model.safetensors.index.json"));
    assertEquals(before, hub.requests().size());
  }

  @Test
  void unknownRevisionsAndRepositoriesAreClearErrors() {
    HubClient client = client();
    HubException revision = assertThrows(HubException.class,
        () -> client.fetch("org/model", "tokenizer.json", "no-such-branch"));
    assertEquals(Kind.REVISION_NOT_FOUND, revision.kind());
    HubException repo = assertThrows(HubException.class, () -> client.file("org/nothing", "tokenizer.json"));
    assertEquals(Kind.REPOSITORY_NOT_FOUND, repo.kind());
  }

  @Test
  void aPrivateRepositoryNeedsTheToken() throws IOException {
    HubException anonymous = assertThrows(HubException.class,
        () -> client(hub.endpoint(), Optional.empty(), false).file("org/secret", "config.json"));
    assertEquals(Kind.UNAUTHORIZED, anonymous.kind());
    assertTrue(anonymous.getMessage().contains("HF_TOKEN"), anonymous.getMessage());

    HubException wrongToken = assertThrows(HubException.class,
        () -> client(hub.endpoint(), Optional.of("hf_wrong"), false).file("org/secret", "config.json"));
    assertEquals(Kind.REPOSITORY_NOT_FOUND, wrongToken.kind());
    assertFalse(wrongToken.getMessage().contains("hf_wrong"));

    assertArrayEquals(TOKENIZER, Files.readAllBytes(client().file("org/secret", "config.json")));
  }

  @Test
  void offlineModeUsesOnlyTheCache() throws IOException {
    HubClient offline = client(hub.endpoint(), Optional.empty(), true);
    HubException notCached = assertThrows(HubException.class, () -> offline.file("org/model", "tokenizer.json"));
    assertEquals(Kind.UNREACHABLE, notCached.kind());
    assertTrue(notCached.getMessage().contains("HF_HUB_OFFLINE"), notCached.getMessage());
    assertTrue(notCached.getMessage().contains(cacheDir.toString()), notCached.getMessage());
    assertEquals(0, hub.requests().size());

    Path downloaded = client().file("org/model", "tokenizer.json");
    int before = hub.requests().size();
    HubFile cached = offline.fetch("org/model", "tokenizer.json", "main");
    assertEquals(downloaded, cached.path());
    assertEquals(HubFile.Origin.CACHED_UNVERIFIED, cached.origin());
    assertEquals(before, hub.requests().size());
  }

  @Test
  void anUnreachableHubFallsBackToTheCache() throws IOException {
    URI closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    HubClient unreachable = client(closed, Optional.empty(), false);
    HubException notCached = assertThrows(HubException.class, () -> unreachable.file("org/model", "tokenizer.json"));
    assertEquals(Kind.UNREACHABLE, notCached.kind());
    assertTrue(notCached.getMessage().contains("cannot reach"), notCached.getMessage());

    Path downloaded = client().file("org/model", "tokenizer.json");
    HubFile cached = unreachable.fetch("org/model", "tokenizer.json", "main");
    assertEquals(downloaded, cached.path());
    assertEquals(HubFile.Origin.CACHED_UNVERIFIED, cached.origin());
  }

  @Test
  void anInterruptedDownloadLeavesNothingBehind() throws IOException {
    HubClient client = client();
    hub.truncateDownloads(true);
    HubException dropped = assertThrows(HubException.class, () -> client.file("org/model", "model.safetensors"));
    assertEquals(Kind.UNREACHABLE, dropped.kind());
    assertTrue(dropped.getMessage().contains("nothing was cached"), dropped.getMessage());
    assertFalse(Files.exists(cacheDir.resolve("models--org--model/blobs").resolve(FakeHub.sha256(WEIGHTS))));
    assertFalse(Files.exists(cacheDir.resolve("models--org--model/snapshots").resolve(hub.commit)
        .resolve("model.safetensors")));
    assertEquals(List.of(), leftovers());

    hub.truncateDownloads(false);
    assertArrayEquals(WEIGHTS, Files.readAllBytes(client.file("org/model", "model.safetensors")));
  }

  @Test
  void aCorruptLfsDownloadIsRejected() throws IOException {
    hub.corruptDownloads(true);
    HubException corrupt = assertThrows(HubException.class, () -> client().file("org/model", "model.safetensors"));
    assertEquals(Kind.PROTOCOL, corrupt.kind());
    assertTrue(corrupt.getMessage().contains("sha256"), corrupt.getMessage());
    assertFalse(Files.exists(cacheDir.resolve("models--org--model/blobs").resolve(FakeHub.sha256(WEIGHTS))));
    assertEquals(List.of(), leftovers());
  }

  @Test
  void aCommitThatIsNotAHashIsRefusedAndNothingIsWrittenOutsideTheCache() throws IOException {
    Path outside = cacheDir.resolveSibling(cacheDir.getFileName() + "-outside");
    for (String commit : List.of("../../" + outside.getFileName() + "/x", "/tmp/abs", "main", "0123",
        hub.commit.toUpperCase(java.util.Locale.ROOT), hub.commit + "0")) {
      hub.hostileHeaders(java.util.Map.of("X-Repo-Commit", commit));
      HubException refused = assertThrows(HubException.class, () -> client().file("org/model", "tokenizer.json"),
          commit);
      assertEquals(Kind.PROTOCOL, refused.kind());
      assertTrue(refused.getMessage().contains("not a 40-hex-digit commit hash"), refused.getMessage());
      assertEquals(1, refused.getMessage().lines().count());
    }
    // Also when the hub says the file is missing: the commit would name the .no_exist folder.
    hub.hostileHeaders(java.util.Map.of("X-Repo-Commit", "../../escape"));
    assertThrows(HubException.class, () -> client().optionalFile("org/model", "absent.json"));
    assertFalse(Files.exists(outside));
    assertEquals(List.of(), filesIn(cacheDir));
  }

  @Test
  void anEtagThatIsNotAPlainTokenIsRefused() throws IOException {
    for (String etag : List.of("\"../../../escape\"", "\"..\"", "\".hidden\"", "\"a/b\"", "\"a\\\\b\"", "\"\"")) {
      hub.hostileHeaders(java.util.Map.of("ETag", etag));
      HubException refused = assertThrows(HubException.class, () -> client().file("org/model", "tokenizer.json"),
          etag);
      assertEquals(Kind.PROTOCOL, refused.kind());
      assertTrue(refused.getMessage().contains("ETag"), refused.getMessage());
    }
    hub.hostileHeaders(java.util.Map.of("X-Linked-Etag", "\"../../x\""));
    assertThrows(HubException.class, () -> client().file("org/model", "model.safetensors"));
    hub.hostileHeaders(java.util.Map.of("X-Linked-Size", "-5"));
    HubException size = assertThrows(HubException.class, () -> client().file("org/model", "model.safetensors"));
    assertTrue(size.getMessage().contains("not a byte count"), size.getMessage());
    assertEquals(List.of(), filesIn(cacheDir));
  }

  @Test
  void aTamperedRefIsIgnoredOffline() throws IOException {
    client().file("org/model", "tokenizer.json");
    Files.writeString(cacheDir.resolve("models--org--model/refs/main"), "../../../etc");
    HubException e = assertThrows(HubException.class,
        () -> client(hub.endpoint(), Optional.empty(), true).file("org/model", "tokenizer.json"));
    assertEquals(Kind.UNREACHABLE, e.kind());
  }

  @Test
  void revisionsAndFileNamesMustBePlainRelativePaths() {
    HubClient client = client();
    for (String revision : List.of("../../x", "/abs", "a//b", "")) {
      assertThrows(IllegalArgumentException.class, () -> client.fetch("org/model", "tokenizer.json", revision));
    }
    for (String file : List.of("../x", "/etc/passwd", "a/../../b", "c:\\x")) {
      assertThrows(IllegalArgumentException.class, () -> client.fetch("org/model", file, "main"));
    }
    assertEquals(0, hub.requests().size());
  }

  @Test
  void recognisesRepositoryIds() {
    assertTrue(HubClient.isRepoId("distilroberta-base"));
    assertTrue(HubClient.isRepoId("FacebookAI/roberta-base"));
    assertTrue(HubClient.isRepoId("org_1/model.v2"));
    assertFalse(HubClient.isRepoId("/abs/path"));
    assertFalse(HubClient.isRepoId("a/b/c"));
    assertFalse(HubClient.isRepoId("s3a://bucket/tok"));
    assertFalse(HubClient.isRepoId("../tokenizer"));
    assertFalse(HubClient.isRepoId("org--x/name"));
  }

  /** Regular files (not directories) anywhere under {@code dir}. */
  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> !Files.isDirectory(p)).toList();
    }
  }

  /** Temporary files a download may have left in the cache. */
  private List<Path> leftovers() throws IOException {
    try (Stream<Path> files = Files.walk(cacheDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".incomplete")
          || p.getFileName().toString().endsWith(".link")).toList();
    }
  }
}
