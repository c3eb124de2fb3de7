package org.mlmspark.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where and how to reach the Hugging Face Hub, read from the same environment variables as
 * {@code huggingface_hub}, so both share one cache and one login.
 *
 * @param endpoint        {@code HF_ENDPOINT}, default {@code https://huggingface.co}
 * @param cacheDir        {@code HF_HUB_CACHE}, else {@code $HF_HOME/hub}; {@code HF_HOME} defaults to
 *                        {@code $XDG_CACHE_HOME/huggingface}, i.e. {@code ~/.cache/huggingface}
 * @param token           {@code HF_TOKEN}, else the file {@code HF_TOKEN_PATH} / {@code $HF_HOME/token}
 *                        that {@code huggingface-cli login} writes
 * @param offline         {@code HF_HUB_OFFLINE} is 1/ON/YES/TRUE: only the cache is used
 * @param metadataTimeout {@code HF_HUB_ETAG_TIMEOUT} seconds (default 10) for connecting and the HEAD call
 * @param downloadTimeout {@code HF_HUB_DOWNLOAD_TIMEOUT} seconds (default 10) until a download starts
 * @param proxy           {@code HTTPS_PROXY}/{@code https_proxy}, as requests (and so huggingface_hub) uses it
 */
public record HubSettings(URI endpoint, Path cacheDir, Optional<String> token, boolean offline,
    Duration metadataTimeout, Duration downloadTimeout, Optional<URI> proxy) {

  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
  private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");

  public static HubSettings fromEnvironment() {
    return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  public static HubSettings fromEnvironment(Map<String, String> env, Path userHome) {
    String endpoint = nonBlank(env.get("HF_ENDPOINT")).orElse(DEFAULT_ENDPOINT).replaceAll("/+$", "");
    Path xdgCache = nonBlank(env.get("XDG_CACHE_HOME")).map(Path::of).orElse(userHome.resolve(".cache"));
    Path hfHome = nonBlank(env.get("HF_HOME")).map(Path::of).orElse(xdgCache.resolve("huggingface"));
    Path cacheDir = nonBlank(env.get("HF_HUB_CACHE"))
        .or(() -> nonBlank(env.get("HUGGINGFACE_HUB_CACHE")))
        .map(Path::of)
        .orElse(hfHome.resolve("hub"));
    Optional<String> token = nonBlank(env.get("HF_TOKEN"))
        .or(() -> nonBlank(env.get("HUGGING_FACE_HUB_TOKEN")))
        .or(() -> readToken(nonBlank(env.get("HF_TOKEN_PATH")).map(Path::of).orElse(hfHome.resolve("token"))));
    boolean offline = TRUE_VALUES.contains(env.getOrDefault("HF_HUB_OFFLINE", "").trim().toUpperCase(Locale.ROOT));
    Optional<URI> proxy = nonBlank(env.get("HTTPS_PROXY")).or(() -> nonBlank(env.get("https_proxy"))).map(URI::create);
    return new HubSettings(URI.create(endpoint), cacheDir, token, offline,
        seconds(env, "HF_HUB_ETAG_TIMEOUT"), seconds(env, "HF_HUB_DOWNLOAD_TIMEOUT"), proxy);
  }

  /** The same settings with only the cache, as {@code HF_HUB_OFFLINE=1} would give. */
  public HubSettings withOffline(boolean offline) {
    return new HubSettings(endpoint, cacheDir, token, offline, metadataTimeout, downloadTimeout, proxy);
  }

  /**
   * The HTTP client for hub calls: redirects are followed by hand (the token must not follow them off the hub),
   * {@code metadataTimeout} to connect, through {@code proxy} when one is set.
   */
  public HttpClient httpClient() {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(metadataTimeout);
    proxy.ifPresent(uri ->
        builder.proxy(ProxySelector.of(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort()))));
    return builder.build();
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "HubSettings[endpoint=" + endpoint + ", cacheDir=" + cacheDir + ", token="
        + (token.isPresent() ? "(set)" : "(none)") + ", offline=" + offline + "]";
  }

  private static Optional<String> readToken(Path file) {
    try {
      return Files.isRegularFile(file) ? nonBlank(Files.readString(file)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the HF token file " + file, e);
    }
  }

  private static Duration seconds(Map<String, String> env, String name) {
    String value = nonBlank(env.get(name)).orElse("10");
    try {
      return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number of seconds, not '" + value + "'");
    }
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
