package org.mlmspark.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.mlmspark.cli.Cli;
import org.mlmspark.hub.HubException.Kind;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.storage.ContainedFiles;
import org.mlmspark.support.Hashing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads model repository files from the Hugging Face Hub into the standard HF cache, the way
 * {@code huggingface_hub.hf_hub_download} does: a HEAD call on {@code {endpoint}/{repo}/resolve/{revision}/{file}}
 * gives the commit ({@code X-Repo-Commit}) and the content's etag ({@code X-Linked-Etag} for LFS files, else
 * {@code ETag}); the content is fetched only when no blob with that etag is cached. Without the hub (offline
 * mode, no network, hub errors) a previously cached copy of the revision is used.
 *
 * <p>The token goes only to the hub's own host, never to the CDN a large file redirects to, and is never logged.
 */
public final class HubClient {
  public static final String DEFAULT_REVISION = "main";
  private static final Logger LOG = LoggerFactory.getLogger(HubClient.class);
  /** huggingface_hub's repo id rule: an optional namespace and a name of word characters, '-' and '.'. */
  private static final Pattern REPO_ID = Pattern.compile("^([\\w\\-.]+/)?[\\w\\-.]{1,96}$");
  /** What an ETag may be to name a blob: a git sha1, an LFS sha256, or another plain token. */
  private static final Pattern ETAG = Pattern.compile("^[0-9A-Za-z][0-9A-Za-z_.\\-]{0,127}$");
  private static final int MAX_REDIRECTS = 10;
  private static final String USER_AGENT = "mlm-spark/0.1; java/" + Runtime.version().feature();

  private final HubSettings settings;
  private final HubCache cache;
  private final HttpClient http;

  public HubClient(HubSettings settings) {
    this.settings = settings;
    this.cache = new HubCache(settings.cacheDir());
    this.http = settings.httpClient();
  }

  public static HubClient fromEnvironment() {
    return new HubClient(HubSettings.fromEnvironment());
  }

  public HubSettings settings() {
    return settings;
  }

  /** Whether {@code text} can name a hub repository ({@code name} or {@code org/name}). */
  public static boolean isRepoId(String text) {
    return REPO_ID.matcher(text).matches() && !text.contains("--") && !text.contains("..")
        && !text.startsWith(".") && !text.endsWith(".");
  }

  /** The cached path of {@code filename} at the main branch, downloading it if needed. */
  public Path file(String repoId, String filename) throws IOException {
    return fetch(repoId, filename, DEFAULT_REVISION).path();
  }

  /**
   * Like {@link #file}, but empty when the repository has no such file (e.g. {@code model.safetensors.index.json}
   * of an unsharded model), also when offline if a previous call recorded that it is missing.
   */
  public Optional<Path> optionalFile(String repoId, String filename) throws IOException {
    try {
      return Optional.of(file(repoId, filename));
    } catch (HubException e) {
      if (e.kind() == Kind.ENTRY_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public HubFile fetch(String repoId, String filename, String revision) throws IOException {
    validate(repoId, filename, revision);
    if (HubCache.COMMIT_HASH.matcher(revision).matches()) {
      Path pinned = cache.snapshot(repoId, revision, filename);
      if (Files.exists(pinned)) {
        // A commit never changes: no need to ask the hub.
        return new HubFile(repoId, filename, revision, pinned, HubFile.Origin.CACHED);
      }
    }
    if (settings.offline()) {
      return fromCache(repoId, filename, revision,
          "HF_HUB_OFFLINE is set", null);
    }
    URI url = resolveUrl(repoId, filename, revision);
    Metadata metadata;
    try {
      metadata = metadata(url);
    } catch (HubException e) {
      if (e.kind() == Kind.ENTRY_NOT_FOUND || e.kind() == Kind.REVISION_NOT_FOUND || e.kind() == Kind.PROTOCOL) {
        throw e;
      }
      // Like huggingface_hub: any other failure to ask the hub falls back to what the cache has.
      return fromCache(repoId, filename, revision, e.getMessage(), e);
    } catch (IOException e) {
      return fromCache(repoId, filename, revision,
          "cannot reach " + settings.endpoint() + " (" + Cli.describe(e) + ")", e);
    }
    if (metadata.missing) {
      if (metadata.commit != null) {
        cache.markMissing(repoId, metadata.commit, filename);
        cache.recordRef(repoId, revision, metadata.commit);
      }
      throw new HubException(Kind.ENTRY_NOT_FOUND, repoId + " has no file " + filename + " at revision " + revision);
    }
    cache.recordRef(repoId, revision, metadata.commit);
    Path snapshot = cache.snapshot(repoId, metadata.commit, filename);
    Path blob = cache.blob(repoId, metadata.etag);
    if (Files.exists(snapshot)) {
      return new HubFile(repoId, filename, metadata.commit, snapshot, HubFile.Origin.CACHED);
    }
    if (Files.exists(blob)) {
      cache.link(blob, snapshot);
      return new HubFile(repoId, filename, metadata.commit, snapshot, HubFile.Origin.CACHED);
    }
    LOG.info("downloading {} of {} (commit {}) into {}", filename, repoId, metadata.commit, settings.cacheDir());
    try {
      download(metadata, blob);
    } catch (HubException e) {
      throw e;
    } catch (IOException e) {
      throw new HubException(Kind.UNREACHABLE, "download of " + filename + " of " + repoId + " failed ("
          + Cli.describe(e) + "); nothing was cached, rerun to retry", e);
    }
    cache.link(blob, snapshot);
    return new HubFile(repoId, filename, metadata.commit, snapshot, HubFile.Origin.DOWNLOADED);
  }

  private HubFile fromCache(String repoId, String filename, String revision, String why, Throwable cause)
      throws IOException {
    Optional<String> commit = cache.commitOf(repoId, revision);
    if (commit.isPresent()) {
      Path snapshot = cache.snapshot(repoId, commit.get(), filename);
      if (Files.exists(snapshot)) {
        LOG.debug("{}; using the cached {} of {} at {}", why, filename, repoId, commit.get());
        return new HubFile(repoId, filename, commit.get(), snapshot, HubFile.Origin.CACHED_UNVERIFIED);
      }
      if (Files.exists(cache.noExistMarker(repoId, commit.get(), filename))) {
        throw new HubException(Kind.ENTRY_NOT_FOUND,
            repoId + " has no file " + filename + " at revision " + revision + " (recorded in the HF cache)");
      }
    }
    if (cause instanceof HubException hub && hub.kind() != Kind.UNREACHABLE) {
      throw hub;
    }
    throw new HubException(Kind.UNREACHABLE, why + ", and " + filename + " of " + repoId + " (revision "
        + revision + ") is not in the HF cache at " + settings.cacheDir(), cause);
  }

  private record Metadata(boolean missing, String commit, String etag, OptionalLong size, URI location,
      boolean lfs) {}

  /** HEAD on the resolve URL, following the hub's relative redirects (renamed repositories), not the CDN's. */
  private Metadata metadata(URI url) throws IOException {
    URI current = url;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest request = request(current, settings.metadataTimeout())
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
      HttpResponse<Void> response = send(request, HttpResponse.BodyHandlers.discarding());
      HttpHeaders headers = response.headers();
      int status = response.statusCode();
      Optional<String> location = headers.firstValue("Location");
      if (isRedirect(status) && location.isPresent() && URI.create(location.get()).getHost() == null) {
        current = current.resolve(location.get());
        continue;
      }
      String commit = headers.firstValue("X-Repo-Commit").orElse(null);
      if (status == 404 && "EntryNotFound".equals(headers.firstValue("X-Error-Code").orElse(""))) {
        if (commit != null) {
          requireCommit(url, commit);
        }
        return new Metadata(true, commit, null, OptionalLong.empty(), current, false);
      }
      if (status >= 400 || (status >= 300 && location.isEmpty())) {
        throw httpError(url, status, headers);
      }
      Optional<String> linkedEtag = headers.firstValue("X-Linked-Etag");
      String etag = linkedEtag.or(() -> headers.firstValue("ETag")).map(HubClient::normalizeEtag).orElse(null);
      if (commit == null || etag == null) {
        throw new HubException(Kind.PROTOCOL, url + " did not answer like the Hugging Face Hub (no "
            + (commit == null ? "X-Repo-Commit" : "ETag") + " header); check HF_ENDPOINT");
      }
      // Both become file names in the cache: anything but a commit hash and a plain token is refused.
      requireCommit(url, commit);
      if (!ETAG.matcher(etag).matches()) {
        throw new HubException(Kind.PROTOCOL, url + " answered an ETag that is not a plain token ("
            + printable(etag) + "); check HF_ENDPOINT");
      }
      OptionalLong size =
          size(url, headers.firstValue("X-Linked-Size").or(() -> headers.firstValue("Content-Length")));
      URI download = isRedirect(status) ? current.resolve(location.get()) : current;
      return new Metadata(false, commit, etag, size, download, linkedEtag.isPresent());
    }
    throw new HubException(Kind.PROTOCOL, "more than " + MAX_REDIRECTS + " redirects for " + url);
  }

  /** Streams the content into the blob; checks size and, for LFS files, the sha256 the etag names. */
  private void download(Metadata metadata, Path blob) throws IOException {
    URI current = metadata.location;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest request = request(current, settings.downloadTimeout()).GET().build();
      HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        int status = response.statusCode();
        Optional<String> location = response.headers().firstValue("Location");
        if (isRedirect(status) && location.isPresent()) {
          current = current.resolve(location.get());
          continue;
        }
        if (status != 200) {
          throw httpError(metadata.location, status, response.headers());
        }
        URI from = current;
        AtomicOutput.writeFile(blob, out -> copyVerified(body, out, metadata, from));
        return;
      }
    }
    throw new HubException(Kind.PROTOCOL, "more than " + MAX_REDIRECTS + " redirects for " + metadata.location);
  }

  private static void copyVerified(InputStream body, OutputStream out, Metadata metadata, URI from)
      throws IOException {
    MessageDigest sha256 = Hashing.sha256();
    DigestOutputStream digesting = new DigestOutputStream(out, sha256);
    long bytes = body.transferTo(digesting);
    digesting.flush();
    if (metadata.size.isPresent() && bytes != metadata.size.getAsLong()) {
      throw new HubException(Kind.PROTOCOL, "download of " + from + " ended after " + bytes + " of "
          + metadata.size.getAsLong() + " bytes");
    }
    // An LFS file's etag is the sha256 of its content.
    String actual = Hashing.hex(sha256);
    if (metadata.lfs && metadata.etag.length() == 64 && !metadata.etag.equalsIgnoreCase(actual)) {
      throw new HubException(Kind.PROTOCOL, "download of " + from + " is corrupt: sha256 " + actual
          + " instead of " + metadata.etag);
    }
  }

  private HttpRequest.Builder request(URI uri, Duration timeout) {
    // identity: sizes and hashes announced by the hub are those of the raw file, not of a compressed body.
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", USER_AGENT)
        .header("Accept-Encoding", "identity");
    if (settings.token().isPresent() && sameOrigin(uri, settings.endpoint())) {
      builder.header("Authorization", "Bearer " + settings.token().get());
    }
    return builder;
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
    try {
      return http.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while talking to " + request.uri().getHost());
    }
  }

  private HubException httpError(URI url, int status, HttpHeaders headers) {
    String code = headers.firstValue("X-Error-Code").orElse("");
    String detail = headers.firstValue("X-Error-Message").map(m -> ": " + m).orElse("");
    String repo = " for " + url;
    if (code.equals("RevisionNotFound")) {
      return new HubException(Kind.REVISION_NOT_FOUND, "revision not found" + repo + detail);
    }
    if (code.equals("GatedRepo") || status == 403) {
      return new HubException(Kind.UNAUTHORIZED, "access denied (HTTP " + status + ")" + repo + detail
          + "; this repository is gated or private: accept its terms on the hub and set HF_TOKEN to a token"
          + " of an account that has access");
    }
    if (status == 401 || code.equals("RepoNotFound") || status == 404) {
      String hint = settings.token().isPresent()
          ? "; it does not exist or HF_TOKEN has no access to it"
          : "; it does not exist, or it is private and needs HF_TOKEN";
      return new HubException(status == 401 ? Kind.UNAUTHORIZED : Kind.REPOSITORY_NOT_FOUND,
          "repository not found (HTTP " + status + ")" + repo + detail + hint);
    }
    return new HubException(Kind.UNREACHABLE, "the hub answered HTTP " + status + repo + detail);
  }

  private URI resolveUrl(String repoId, String filename, String revision) {
    return URI.create(settings.endpoint() + "/" + repoId + "/resolve/" + encode(revision, false) + "/"
        + encode(filename, true));
  }

  private static void validate(String repoId, String filename, String revision) {
    if (!isRepoId(repoId)) {
      throw new IllegalArgumentException("not a hub repository id: '" + repoId + "' (expected name or org/name)");
    }
    Objects.requireNonNull(revision, "revision");
    if (!ContainedFiles.isPlainRelative(filename)) {
      throw new IllegalArgumentException("not a repository file name: '" + filename + "'");
    }
    if (!ContainedFiles.isPlainRelative(revision)) {
      throw new IllegalArgumentException("not a revision: '" + revision + "'");
    }
  }

  /** Percent-encodes everything but RFC 3986 unreserved characters (and '/' in file paths). */
  private static String encode(String text, boolean keepSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/');
      out.append(unreserved ? String.valueOf(c) : String.format("%%%02X", b & 0xFF));
    }
    return out.toString();
  }

  private static void requireCommit(URI url, String commit) throws HubException {
    if (!HubCache.COMMIT_HASH.matcher(commit).matches()) {
      throw new HubException(Kind.PROTOCOL, url + " answered X-Repo-Commit " + printable(commit)
          + ", not a 40-hex-digit commit hash; check HF_ENDPOINT");
    }
  }

  private static OptionalLong size(URI url, Optional<String> header) throws HubException {
    if (header.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      long size = Long.parseLong(header.get().trim());
      if (size >= 0) {
        return OptionalLong.of(size);
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new HubException(Kind.PROTOCOL, url + " answered the size " + printable(header.get())
        + ", not a byte count; check HF_ENDPOINT");
  }

  /** A header value quoted for an error line: at most 80 characters, control characters escaped. */
  private static String printable(String value) {
    StringBuilder out = new StringBuilder("'");
    value.codePoints().limit(80).forEach(c -> {
      if (c < 0x20 || c == 0x7F) {
        out.append(String.format("\\x%02x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.append(value.length() > 80 ? "...'" : "'").toString();
  }

  static String normalizeEtag(String etag) {
    String value = etag.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1) : value;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
  }
}
