package org.mlmspark.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.hub.FakeHub;
import org.mlmspark.hub.HubClient;
import org.mlmspark.hub.HubException;
import org.mlmspark.hub.HubSettings;

class TokenizerResolverTest {
  private static final byte[] HUB_JSON = "{\"model\":{\"type\":\"BPE\"}}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] HUB_CONFIG = "{\"pad_token\":\"<pad>\"}".getBytes(StandardCharsets.UTF_8);
  private static final Configuration CONF = new Configuration(false);

  @TempDir Path cacheDir;
  @TempDir Path workDir;
  private FakeHub hub;

  @BeforeEach
  void startHub() throws IOException {
    hub = new FakeHub()
        .file("distilbert/distilroberta-base", "tokenizer.json", HUB_JSON, false)
        .file("distilbert/distilroberta-base", "tokenizer_config.json", HUB_CONFIG, false)
        .file("org/old-model", "vocab.json", HUB_JSON, false)
        .renamed("distilroberta-base", "distilbert/distilroberta-base");
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private HubClient client(URI endpoint, boolean offline) {
    return new HubClient(new HubSettings(endpoint, cacheDir, Optional.empty(), offline, Duration.ofSeconds(5),
        Duration.ofSeconds(5), Optional.empty()));
  }

  private static URI closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  @Test
  void readsAFileOrADirectoryHoldingOne() throws IOException {
    Path file = Files.write(workDir.resolve("tokenizer.json"), HUB_JSON);
    ResolvedTokenizer fromFile = TokenizerResolver.resolve(file.toString(), CONF, client(closedPort(), true));
    ResolvedTokenizer fromDir = TokenizerResolver.resolve(workDir.toUri().toString(), CONF, client(closedPort(), true));
    assertArrayEquals(HUB_JSON, fromFile.json());
    assertArrayEquals(HUB_JSON, fromDir.json());
    assertEquals(TokenizerFingerprint.of(HUB_JSON), fromDir.fingerprint());
    assertEquals(file.toString(), fromFile.id());
    assertEquals("read from file:" + file, fromFile.source());
  }

  @Test
  void aDirectoryWhoseTokenizerJsonIsNotAFileInsideIsRefusedWithoutReadingIt() throws Exception {
    Path zero = Files.createDirectories(workDir.resolve("zero"));
    Files.createSymbolicLink(zero.resolve("tokenizer.json"), Path.of("/dev/zero"));
    IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
        () -> TokenizerResolver.resolve(zero.toString(), CONF, client(closedPort(), true)));
    assertTrue(outside.getMessage().endsWith("/zero/tokenizer.json leads outside " + zero.toRealPath()
        + " (to /dev/zero); refused"), outside.getMessage());
    Path fifo = Files.createDirectories(workDir.resolve("fifo"));
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.resolve("tokenizer.json").toString()).start().waitFor());
    IllegalArgumentException notFile = assertThrows(IllegalArgumentException.class,
        () -> TokenizerResolver.resolve(fifo.toString(), CONF, client(closedPort(), true)));
    assertTrue(notFile.getMessage().contains("is not a regular file"), notFile.getMessage());
    // A file the user names through their own symlink is theirs to name.
    Path real = Files.write(workDir.resolve("real-tokenizer.json"), HUB_JSON);
    Path link = Files.createSymbolicLink(Files.createDirectories(workDir.resolve("links")).resolve("t.json"), real);
    assertArrayEquals(HUB_JSON, TokenizerResolver.resolve(link.toString(), CONF, client(closedPort(), true)).json());
  }

  @Test
  void downloadsAHubIdThroughTheCache() throws IOException {
    ResolvedTokenizer resolved = TokenizerResolver.resolve("distilroberta-base", CONF, client(hub.endpoint(), false));
    assertEquals("distilroberta-base", resolved.id());
    assertArrayEquals(HUB_JSON, resolved.json());
    assertEquals("hub commit " + hub.commit.substring(0, 12) + ", downloaded", resolved.source());

    ResolvedTokenizer offline = TokenizerResolver.resolve("distilroberta-base", CONF, client(hub.endpoint(), true));
    assertArrayEquals(HUB_JSON, offline.json());
    assertEquals("HF cache, commit " + hub.commit.substring(0, 12) + ", hub not asked", offline.source());
  }

  @Test
  void offlineWithoutCacheUsesTheBundledCopyOfTheSameTokenizer() throws IOException {
    ResolvedTokenizer resolved = TokenizerResolver.resolve("distilroberta-base", CONF, client(hub.endpoint(), true));
    assertEquals("distilroberta-base", resolved.id(), "the same tokenizer, so the same name");
    assertArrayEquals(BundledTokenizer.DISTILROBERTA_BASE.json(), resolved.json());
    assertEquals("bundled copy, hub unreachable", resolved.source());
    assertEquals("tokenizer distilroberta-base (bundled copy, hub unreachable)", resolved.describe());
    assertEquals(0, hub.requests().size());
  }

  @Test
  void noNetworkUsesTheBundledCopyForRobertaBaseButNoOtherModelsName() throws IOException {
    ResolvedTokenizer roberta = TokenizerResolver.resolve("FacebookAI/roberta-base", CONF, client(closedPort(), false));
    assertArrayEquals(BundledTokenizer.DISTILROBERTA_BASE.json(), roberta.json());
    for (String other : new String[] {"openai-community/gpt2", "roberta-large", "distilbert-base-uncased"}) {
      HubException e = assertThrows(HubException.class,
          () -> TokenizerResolver.resolve(other, CONF, client(closedPort(), false)), other);
      assertEquals(HubException.Kind.UNREACHABLE, e.kind());
    }
  }

  @Test
  void otherHubIdsHaveNoFallback() throws IOException {
    HubException e = assertThrows(HubException.class,
        () -> TokenizerResolver.resolve("bert-base-uncased", CONF, client(hub.endpoint(), true)));
    assertEquals(HubException.Kind.UNREACHABLE, e.kind());
  }

  @Test
  void aRepositoryWithoutTokenizerJsonOrAMissingPathIsOneClearError() throws IOException {
    FileNotFoundException noJson = assertThrows(FileNotFoundException.class,
        () -> TokenizerResolver.resolve("org/old-model", CONF, client(hub.endpoint(), false)));
    assertTrue(noJson.getMessage().contains("save_pretrained"), noJson.getMessage());
    FileNotFoundException noPath = assertThrows(FileNotFoundException.class,
        () -> TokenizerResolver.resolve(workDir.resolve("absent/tokenizer.json").toString(), CONF,
            client(hub.endpoint(), false)));
    assertTrue(noPath.getMessage().startsWith("tokenizer not found"), noPath.getMessage());
    assertEquals(1, hub.count("HEAD"), "only the hub id asked the hub");
  }

  @Test
  void aTokenizerDirectoryIsTheDirectoryGivenTheHubSnapshotOrTheBundledCopy() throws IOException {
    Path given = Files.createDirectories(workDir.resolve("tok"));
    TokenizerDirectory local = TokenizerResolver.resolveDirectory(given.toString(), CONF, client(closedPort(), true));
    assertEquals(given.toUri().getPath(), local.directory().toUri().getPath() + "/");

    TokenizerDirectory hubDir =
        TokenizerResolver.resolveDirectory("distilroberta-base", CONF, client(hub.endpoint(), false));
    Path snapshot = Path.of(hubDir.directory().toUri());
    assertArrayEquals(HUB_JSON, Files.readAllBytes(snapshot.resolve("tokenizer.json")));
    assertArrayEquals(HUB_CONFIG, Files.readAllBytes(snapshot.resolve("tokenizer_config.json")));
    assertEquals("hub commit " + hub.commit.substring(0, 12) + ", downloaded", hubDir.source());

    TokenizerDirectory offline = TokenizerResolver.resolveDirectory("roberta-base", CONF, client(closedPort(), false));
    assertEquals("roberta-base", offline.id());
    Path bundled = Path.of(offline.directory().toUri());
    assertArrayEquals(BundledTokenizer.DISTILROBERTA_BASE.json(), Files.readAllBytes(bundled.resolve("tokenizer.json")));
    assertTrue(Files.readString(bundled.resolve("tokenizer_config.json")).contains("\"mask_token\": \"<mask>\""));
    assertEquals("bundled copy, hub unreachable", offline.source());

    FileNotFoundException file = assertThrows(FileNotFoundException.class, () -> TokenizerResolver.resolveDirectory(
        Files.write(workDir.resolve("tokenizer.json"), HUB_JSON).toString(), CONF, client(closedPort(), true)));
    assertTrue(file.getMessage().contains("is a file; give the directory"), file.getMessage());
  }
}
