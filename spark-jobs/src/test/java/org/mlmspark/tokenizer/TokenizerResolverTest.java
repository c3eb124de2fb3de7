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
    assertEquals(TokenizerResolver.sha256(HUB_JSON), fromDir.sha256());
    assertEquals(file.toString(), fromFile.id());
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
    assertTrue(resolved.reason().contains("downloaded from " + hub.endpoint()), resolved.reason());
    assertTrue(resolved.reason().contains(hub.commit), resolved.reason());

    ResolvedTokenizer offline = TokenizerResolver.resolve("distilroberta-base", CONF, client(hub.endpoint(), true));
    assertArrayEquals(HUB_JSON, offline.json());
    assertTrue(offline.reason().contains("without asking the hub"), offline.reason());
  }

  @Test
  void offlineWithoutCacheFallsBackToTheBuiltInRobertaStandIn() throws IOException {
    ResolvedTokenizer resolved = TokenizerResolver.resolve("distilroberta-base", CONF, client(hub.endpoint(), true));
    BuiltInTokenizer standIn = BuiltInTokenizer.ROBERTA_LAYOUT;
    assertEquals(standIn.id(), resolved.id());
    assertArrayEquals(standIn.json(), resolved.json());
    assertTrue(resolved.reason().startsWith("hub unreachable (HF_HUB_OFFLINE is set"), resolved.reason());
    assertTrue(resolved.reason().contains("RoBERTa's layout"), resolved.reason());
    assertEquals(0, hub.requests().size());
  }

  @Test
  void noNetworkFallsBackToTheBuiltInGpt2() throws IOException {
    ResolvedTokenizer resolved = TokenizerResolver.resolve("openai-community/gpt2", CONF, client(closedPort(), false));
    assertEquals(BuiltInTokenizer.GPT2.id(), resolved.id());
    assertTrue(resolved.reason().contains("cannot reach"), resolved.reason());
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
  void aTokenizerDirectoryIsTheDirectoryGivenTheHubSnapshotOrTheBuiltInStandIns() throws IOException {
    Path given = Files.createDirectories(workDir.resolve("tok"));
    TokenizerDirectory local = TokenizerResolver.resolveDirectory(given.toString(), CONF, client(closedPort(), true));
    assertEquals(given.toUri().getPath(), local.directory().toUri().getPath() + "/");

    TokenizerDirectory hubDir =
        TokenizerResolver.resolveDirectory("distilroberta-base", CONF, client(hub.endpoint(), false));
    Path snapshot = Path.of(hubDir.directory().toUri());
    assertArrayEquals(HUB_JSON, Files.readAllBytes(snapshot.resolve("tokenizer.json")));
    assertArrayEquals(HUB_CONFIG, Files.readAllBytes(snapshot.resolve("tokenizer_config.json")));
    assertTrue(hubDir.reason().contains(hub.commit), hubDir.reason());

    TokenizerDirectory offline = TokenizerResolver.resolveDirectory("roberta-base", CONF, client(closedPort(), false));
    BuiltInTokenizer standIn = BuiltInTokenizer.ROBERTA_LAYOUT;
    assertEquals(standIn.id(), offline.id());
    Path builtIn = Path.of(offline.directory().toUri());
    assertArrayEquals(standIn.json(), Files.readAllBytes(builtIn.resolve("tokenizer.json")));
    assertTrue(Files.readString(builtIn.resolve("tokenizer_config.json")).contains("\"mask_token\" : \"<mask>\""));
    assertTrue(offline.reason().startsWith("hub unreachable (cannot reach"), offline.reason());

    FileNotFoundException file = assertThrows(FileNotFoundException.class, () -> TokenizerResolver.resolveDirectory(
        Files.write(workDir.resolve("tokenizer.json"), HUB_JSON).toString(), CONF, client(closedPort(), true)));
    assertTrue(file.getMessage().contains("is a file; give the directory"), file.getMessage());
  }
}
