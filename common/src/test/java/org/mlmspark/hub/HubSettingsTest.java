package org.mlmspark.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubSettingsTest {
  private static final Path HOME = Path.of("/home/user");

  @Test
  void defaultsMatchHuggingfaceHub() {
    HubSettings settings = HubSettings.fromEnvironment(Map.of(), HOME);
    assertEquals(URI.create("https://huggingface.co"), settings.endpoint());
    assertEquals(HOME.resolve(".cache/huggingface/hub"), settings.cacheDir());
    assertEquals(Optional.empty(), settings.token());
    assertFalse(settings.offline());
    assertEquals(Duration.ofSeconds(10), settings.metadataTimeout());
  }

  @Test
  void cacheDirectoryPrecedence() {
    assertEquals(Path.of("/xdg/huggingface/hub"),
        HubSettings.fromEnvironment(Map.of("XDG_CACHE_HOME", "/xdg"), HOME).cacheDir());
    assertEquals(Path.of("/hf/hub"),
        HubSettings.fromEnvironment(Map.of("XDG_CACHE_HOME", "/xdg", "HF_HOME", "/hf"), HOME).cacheDir());
    assertEquals(Path.of("/cache"),
        HubSettings.fromEnvironment(Map.of("HF_HOME", "/hf", "HF_HUB_CACHE", "/cache"), HOME).cacheDir());
  }

  @Test
  void endpointOfflineAndTimeouts() {
    HubSettings settings = HubSettings.fromEnvironment(
        Map.of("HF_ENDPOINT", "https://hf-mirror.example/", "HF_HUB_OFFLINE", "yes", "HF_HUB_ETAG_TIMEOUT", "2.5"),
        HOME);
    assertEquals(URI.create("https://hf-mirror.example"), settings.endpoint());
    assertTrue(settings.offline());
    assertEquals(Duration.ofMillis(2500), settings.metadataTimeout());
    assertFalse(HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "0"), HOME).offline());
  }

  @Test
  void tokenFromEnvironmentOrLoginFileAndNeverPrinted(@TempDir Path hfHome) throws IOException {
    Files.writeString(hfHome.resolve("token"), "hf_fromfile\n");
    assertEquals(Optional.of("hf_fromfile"),
        HubSettings.fromEnvironment(Map.of("HF_HOME", hfHome.toString()), HOME).token());
    HubSettings settings = HubSettings.fromEnvironment(Map.of("HF_HOME", hfHome.toString(), "HF_TOKEN", "hf_env"), HOME);
    assertEquals(Optional.of("hf_env"), settings.token());
    assertFalse(settings.toString().contains("hf_env"));
  }
}
