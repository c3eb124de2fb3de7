package org.mlmspark.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mlmspark.hub.HubException.Kind;
import org.mlmspark.support.Hashing;
import org.mlmspark.support.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes files to a Hugging Face Hub model repository in one commit, speaking the protocol
 * {@code huggingface_hub}'s {@code create_repo} and {@code upload_folder} speak without Xet:
 * <ol>
 *   <li>{@code POST /api/repos/create} (an existing repository is fine);</li>
 *   <li>{@code POST /api/validate-yaml} when a {@code README.md} is among the files (fails before any upload);</li>
 *   <li>{@code POST /api/models/{repo}/preupload/{revision}}: the Hub says which files go through LFS;</li>
 *   <li>{@code POST /{repo}.git/info/lfs/objects/batch}: where each LFS object goes, then a single {@code PUT}
 *       (basic transfer) or one {@code PUT} per part and a completion call (multipart, when the Hub answers with a
 *       {@code chunk_size}), then the verify call;</li>
 *   <li>{@code POST /api/models/{repo}/commit/{revision}}: NDJSON, a header line, then a {@code file} line (base64
 *       content) per regular file and an {@code lfsFile} line (sha256, size) per LFS file.</li>
 * </ol>
 * Every answer is checked before it is used: a Hub that answers anything else fails the upload with
 * {@link Kind#PROTOCOL}. The token goes to the Hub's own host only, never to the storage URLs LFS hands out, and
 * is never logged; storage URLs (which may carry signatures) are not logged either.
 */
public final class HubUploader {
  private static final Logger LOG = LoggerFactory.getLogger(HubUploader.class);
  private static final ObjectMapper JSON = Json.mapper();
  private static final String LFS_JSON = "application/vnd.git-lfs+json";
  private static final Pattern COMMIT_OID = Pattern.compile("^[0-9a-f]{40}$");
  private static final Pattern NAMESPACE = Pattern.compile("^[\\w\\-.]{1,96}$");
  private static final int SAMPLE_BYTES = 512;
  private static final int MAX_ANSWER_BYTES = 4 << 20;
  private static final int MAX_PARTS = 10_000;
  private static final String USER_AGENT = "mlm-spark/0.1; java/" + Runtime.version().feature();

  /** The bytes of one file, readable as often as the protocol needs (hashing, sample, upload). */
  @FunctionalInterface
  public interface Content {
    InputStream open() throws IOException;
  }

  /** One file of the commit: where it goes in the repository, its size, and its bytes. */
  public record UploadFile(String pathInRepo, long size, Content content) {
    public UploadFile {
      Objects.requireNonNull(content, "content");
      for (String segment : pathInRepo.split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          throw new IllegalArgumentException("not a repository file name: '" + pathInRepo + "'");
        }
      }
      if (size < 0) {
        throw new IllegalArgumentException("negative size for " + pathInRepo);
      }
    }
  }

  /** The commit the Hub made. */
  public record Commit(String oid, String url) {}

  private record Hashed(UploadFile file, String sha256, byte[] sample) {}

  private record Answer(int status, byte[] body, java.net.http.HttpHeaders headers) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final HubSettings settings;
  private final HttpClient http;

  public HubUploader(HubSettings settings) {
    this.settings = settings;
    this.http = settings.httpClient();
  }

  public static HubUploader fromEnvironment() {
    return new HubUploader(HubSettings.fromEnvironment());
  }

  /** The account the token belongs to ({@code GET /api/whoami-v2}), for repository ids given without namespace. */
  public String whoami() throws IOException {
    requireWritable();
    Answer answer = send(api("GET", "/api/whoami-v2", null, null).build(), "who the token belongs to");
    JsonNode name = json(answer, "/api/whoami-v2").path("name");
    if (!name.isTextual() || !NAMESPACE.matcher(name.asText()).matches()) {
      throw protocol("/api/whoami-v2 named no account");
    }
    return name.asText();
  }

  /**
   * Creates the model repository, or leaves it as it is when it exists (HF's {@code exist_ok=True}).
   *
   * @param privateRepo a new repository is private; otherwise it gets the Hub's default visibility (public,
   *                    unless the organization says otherwise). An existing repository keeps its own.
   * @return the repository's URL
   */
  public String createRepo(String repoId, boolean privateRepo) throws IOException {
    requireRepoId(repoId);
    requireWritable();
    int slash = repoId.indexOf('/');
    ObjectNode payload = JSON.createObjectNode();
    payload.put("name", repoId.substring(slash + 1));
    if (slash < 0) {
      payload.putNull("organization");
    } else {
      payload.put("organization", repoId.substring(0, slash));
    }
    if (privateRepo) {
      payload.put("visibility", "private");
    }
    Answer answer = exchange(api("POST", "/api/repos/create", "application/json", bytes(payload)).build());
    if (answer.status() == 409) {
      LOG.info("hub repository {} exists", repoId);
      return settings.endpoint() + "/" + repoId;
    }
    if ((answer.status() == 401 || answer.status() == 403) && exists(repoId)) {
      // As huggingface_hub: a token may write to a repository without the right to create repositories there.
      return settings.endpoint() + "/" + repoId;
    }
    if (!answer.ok()) {
      throw httpError(answer, "create the repository " + repoId);
    }
    JsonNode url = json(answer, "/api/repos/create").path("url");
    if (!url.isTextual()) {
      throw protocol("/api/repos/create answered without the repository's url");
    }
    LOG.info("created hub repository {}{}", repoId, privateRepo ? " (private)" : "");
    return url.asText();
  }

  private boolean exists(String repoId) throws IOException {
    return exchange(api("GET", "/api/models/" + repoId, null, null).build()).ok();
  }

  /**
   * Uploads {@code files} to {@code revision} of the model repository {@code repoId} as one commit.
   *
   * @param summary the commit message
   */
  public Commit upload(String repoId, String revision, List<UploadFile> files, String summary) throws IOException {
    requireRepoId(repoId);
    requireWritable();
    if (files.isEmpty()) {
      throw new IllegalArgumentException("nothing to upload");
    }
    List<UploadFile> sorted = files.stream().sorted(Comparator.comparing(UploadFile::pathInRepo)).toList();
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).pathInRepo().equals(sorted.get(i - 1).pathInRepo())) {
        throw new IllegalArgumentException("two files for " + sorted.get(i).pathInRepo());
      }
    }
    String rev = encode(revision);
    for (UploadFile file : sorted) {
      if (file.pathInRepo().equals("README.md")) {
        validateYaml(file);
      }
    }
    List<Hashed> hashed = new ArrayList<>();
    for (UploadFile file : sorted) {
      hashed.add(hash(file));
    }
    Map<String, Boolean> lfs = preupload(repoId, rev, hashed);
    List<Hashed> lfsFiles = hashed.stream().filter(h -> lfs.get(h.file().pathInRepo())).toList();
    if (!lfsFiles.isEmpty()) {
      uploadLfs(repoId, revision, lfsFiles);
    }
    return commit(repoId, rev, hashed, lfs, summary);
  }

  private void validateYaml(UploadFile readme) throws IOException {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("content", new String(readAll(readme), StandardCharsets.UTF_8));
    payload.put("repoType", "model");
    Answer answer = exchange(api("POST", "/api/validate-yaml", "application/json", bytes(payload)).build());
    if (answer.status() == 400) {
      throw new HubException(Kind.PROTOCOL, "the Hub refused the metadata of README.md: "
          + errorText(answer).orElse("no reason given"));
    }
    if (!answer.ok()) {
      throw httpError(answer, "validate README.md");
    }
  }

  /** Reads each file once: sha256 (the LFS object id), the first 512 bytes (the Hub's sample), the size. */
  private static Hashed hash(UploadFile file) throws IOException {
    MessageDigest sha256 = Hashing.sha256();
    ByteArrayOutputStream sample = new ByteArrayOutputStream();
    long size = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = file.content().open()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
        if (sample.size() < SAMPLE_BYTES) {
          sample.write(buffer, 0, (int) Math.min(n, SAMPLE_BYTES - sample.size()));
        }
        size += n;
      }
    }
    if (size != file.size()) {
      throw new IOException(file.pathInRepo() + " changed while it was read (" + size + " bytes, expected "
          + file.size() + ")");
    }
    return new Hashed(file, Hashing.hex(sha256), sample.toByteArray());
  }

  /** Which files the Hub wants in LFS (path to true); checks it answered for each file and nothing else. */
  private Map<String, Boolean> preupload(String repoId, String rev, List<Hashed> files) throws IOException {
    ObjectNode payload = JSON.createObjectNode();
    ArrayNode list = payload.putArray("files");
    for (Hashed h : files) {
      list.addObject().put("path", h.file().pathInRepo())
          .put("sample", Base64.getEncoder().encodeToString(h.sample())).put("size", h.file().size());
    }
    String path = "/api/models/" + repoId + "/preupload/" + rev;
    Answer answer =
        send(api("POST", path, "application/json", bytes(payload)).build(), "prepare the upload to " + repoId);
    JsonNode answered = json(answer, path).path("files");
    if (!answered.isArray()) {
      throw protocol(path + " answered without a files list");
    }
    Map<String, Boolean> lfs = new HashMap<>();
    for (JsonNode file : answered) {
      String name = file.path("path").asText(null);
      String mode = file.path("uploadMode").asText("");
      boolean known = files.stream().anyMatch(h -> h.file().pathInRepo().equals(name));
      if (!known || !(mode.equals("lfs") || mode.equals("regular")) || lfs.containsKey(name)) {
        throw protocol(path + " answered with an unexpected entry " + abbreviate(file.toString()));
      }
      if (file.path("shouldIgnore").asBoolean(false)) {
        throw new HubException(Kind.PROTOCOL, "the repository's .gitignore excludes " + name
            + ": the model would be incomplete; change the repository's .gitignore");
      }
      lfs.put(name, mode.equals("lfs"));
    }
    for (Hashed h : files) {
      String name = h.file().pathInRepo();
      if (!lfs.containsKey(name)) {
        throw protocol(path + " gave no upload mode for " + name);
      }
      if (h.file().size() == 0) {
        lfs.put(name, false); // as huggingface_hub: an empty file is always a regular one
      }
    }
    return lfs;
  }

  private void uploadLfs(String repoId, String revision, List<Hashed> files) throws IOException {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("operation", "upload");
    payload.putArray("transfers").add("basic").add("multipart");
    ArrayNode objects = payload.putArray("objects");
    for (Hashed h : files) {
      objects.addObject().put("oid", h.sha256()).put("size", h.file().size());
    }
    payload.put("hash_algo", "sha256");
    payload.putObject("ref").put("name", revision);
    String path = "/" + repoId + ".git/info/lfs/objects/batch";
    HttpRequest request = api("POST", path, LFS_JSON, bytes(payload)).header("Accept", LFS_JSON).build();
    Answer answer = send(request, "ask where the large files of " + repoId + " go");
    JsonNode batch = json(answer, path);
    JsonNode transfer = batch.path("transfer");
    if (!transfer.isMissingNode() && !transfer.isNull()
        && !(transfer.asText().equals("basic") || transfer.asText().equals("multipart"))) {
      throw protocol(path + " chose the transfer '" + abbreviate(transfer.asText()) + "', not basic or multipart");
    }
    JsonNode answered = batch.path("objects");
    if (!answered.isArray()) {
      throw protocol(path + " answered without an objects list");
    }
    Map<String, JsonNode> byOid = new LinkedHashMap<>();
    for (JsonNode object : answered) {
      String oid = object.path("oid").asText("");
      Optional<Hashed> asked = files.stream().filter(h -> h.sha256().equals(oid)).findFirst();
      if (asked.isEmpty() || !object.path("size").canConvertToLong()
          || object.path("size").asLong() != asked.get().file().size()) {
        throw protocol(path + " answered for an object it was not asked about: " + abbreviate(object.toString()));
      }
      if (object.has("error")) {
        throw new HubException(Kind.PROTOCOL, "the Hub refused " + asked.get().file().pathInRepo() + ": "
            + abbreviate(object.path("error").path("message").asText(object.path("error").toString())));
      }
      byOid.put(oid, object);
    }
    for (Hashed h : files) {
      JsonNode object = byOid.get(h.sha256());
      if (object == null) {
        throw protocol(path + " said nothing about " + h.file().pathInRepo());
      }
      JsonNode actions = object.path("actions");
      if (actions.isMissingNode() || actions.isNull()) {
        LOG.info("{} is already stored on the Hub", h.file().pathInRepo());
        continue;
      }
      transfer(h, actions);
    }
  }

  /** One LFS object: the upload (single PUT or parts + completion), then the verify call if the Hub asks for it. */
  private void transfer(Hashed h, JsonNode actions) throws IOException {
    String name = h.file().pathInRepo();
    JsonNode upload = actions.path("upload");
    URI href = href(upload, "upload", name);
    JsonNode header = upload.path("header");
    if (!header.isMissingNode() && !header.isNull() && !header.isObject()) {
      throw protocol("the upload action of " + name + " has a malformed header");
    }
    if (header.has("chunk_size")) {
      uploadParts(h, href, header);
    } else {
      LOG.info("uploading {} ({} bytes)", name, h.file().size());
      HttpRequest put = storage(href).PUT(publisher(h.file(), 0, h.file().size())).build();
      Answer answer = exchange(put);
      if (!answer.ok()) {
        throw storageError(answer, "upload of " + name);
      }
    }
    JsonNode verify = actions.path("verify");
    if (!verify.isMissingNode() && !verify.isNull()) {
      URI verifyHref = href(verify, "verify", name);
      ObjectNode body = JSON.createObjectNode().put("oid", h.sha256()).put("size", h.file().size());
      HttpRequest.Builder request = request(verifyHref).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
      Answer answer = exchange(request.build());
      if (!answer.ok()) {
        throw httpError(answer, "verify the upload of " + name);
      }
    }
  }

  /** HF's multipart transfer: the header names the chunk size and a URL per part ("1", "2", ...). */
  private void uploadParts(Hashed h, URI completion, JsonNode header) throws IOException {
    String name = h.file().pathInRepo();
    long size = h.file().size();
    long chunk = header.path("chunk_size").canConvertToLong() ? header.path("chunk_size").asLong()
        : parseLong(header.path("chunk_size").asText());
    if (chunk <= 0) {
      throw protocol("the multipart upload of " + name + " has a chunk size of " + chunk);
    }
    long parts = (size + chunk - 1) / chunk;
    if (parts > MAX_PARTS) {
      throw protocol("the multipart upload of " + name + " asks for " + parts + " parts");
    }
    List<URI> urls = new ArrayList<>();
    for (int part = 1; part <= parts; part++) {
      JsonNode url = header.path(Integer.toString(part));
      if (!url.isTextual()) {
        throw protocol("the multipart upload of " + name + " has no URL for part " + part + " of " + parts);
      }
      urls.add(httpUri(url.asText(), "part " + part + " of " + name));
    }
    int named = 0;
    for (var it = header.fieldNames(); it.hasNext(); ) {
      if (it.next().chars().allMatch(Character::isDigit)) {
        named++;
      }
    }
    if (named != parts) {
      throw protocol("the multipart upload of " + name + " names " + named + " parts for " + parts + " chunks of "
          + chunk + " bytes");
    }
    LOG.info("uploading {} ({} bytes) in {} parts", name, size, parts);
    ObjectNode completionBody = JSON.createObjectNode().put("oid", h.sha256());
    ArrayNode done = completionBody.putArray("parts");
    for (int part = 1; part <= parts; part++) {
      long offset = (part - 1) * chunk;
      HttpRequest put = storage(urls.get(part - 1)).PUT(publisher(h.file(), offset, Math.min(chunk, size - offset)))
          .build();
      Answer answer = exchange(put);
      if (!answer.ok()) {
        throw storageError(answer, "upload of part " + part + " of " + name);
      }
      String etag = answer.headers().firstValue("ETag").orElse("");
      if (etag.isBlank()) {
        throw protocol("the storage answered part " + part + " of " + name + " without an ETag");
      }
      done.addObject().put("partNumber", part).put("etag", etag);
    }
    // As huggingface_hub: the completion URL carries its own authorization, the token is not sent.
    HttpRequest complete = storage(completion).header("Content-Type", LFS_JSON).header("Accept", LFS_JSON)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(completionBody))).build();
    Answer answer = exchange(complete);
    if (!answer.ok()) {
      throw storageError(answer, "completion of the multipart upload of " + name);
    }
  }

  private Commit commit(String repoId, String rev, List<Hashed> files, Map<String, Boolean> lfs, String summary)
      throws IOException {
    ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
    ObjectNode header = JSON.createObjectNode();
    header.put("key", "header");
    header.putObject("value").put("summary", summary).put("description", "");
    line(ndjson, header);
    for (Hashed h : files) {
      ObjectNode line = JSON.createObjectNode();
      if (lfs.get(h.file().pathInRepo())) {
        line.put("key", "lfsFile");
        line.putObject("value").put("path", h.file().pathInRepo()).put("algo", "sha256").put("oid", h.sha256())
            .put("size", h.file().size());
      } else {
        byte[] content = readAll(h.file());
        if (!Hashing.sha256Hex(content).equals(h.sha256())) {
          throw new IOException(h.file().pathInRepo() + " changed while it was uploaded");
        }
        line.put("key", "file");
        line.putObject("value").put("content", Base64.getEncoder().encodeToString(content))
            .put("path", h.file().pathInRepo()).put("encoding", "base64");
      }
      line(ndjson, line);
    }
    String path = "/api/models/" + repoId + "/commit/" + rev;
    Answer answer =
        send(api("POST", path, "application/x-ndjson", ndjson.toByteArray()).build(), "commit to " + repoId);
    JsonNode result = json(answer, path);
    String oid = result.path("commitOid").asText("");
    String url = result.path("commitUrl").asText("");
    if (!COMMIT_OID.matcher(oid).matches() || url.isEmpty()) {
      throw protocol(path + " answered without a commit id and URL");
    }
    return new Commit(oid, url);
  }

  private static void line(ByteArrayOutputStream out, ObjectNode node) {
    out.writeBytes(bytes(node));
    out.write('\n');
  }

  // ---- HTTP ----

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(settings.downloadTimeout().multipliedBy(30))
        .header("User-Agent", USER_AGENT);
    if (settings.token().isPresent() && sameOrigin(uri, settings.endpoint())) {
      builder.header("Authorization", "Bearer " + settings.token().get());
    }
    return builder;
  }

  /** A request to the Hub's API (always the endpoint's own host, so it carries the token). */
  private HttpRequest.Builder api(String method, String path, String contentType, byte[] body) {
    HttpRequest.Builder builder = request(URI.create(settings.endpoint() + path));
    if (body == null) {
      return builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return builder.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
  }

  /** A request to an LFS storage URL: the URL authorizes itself; no token, even if it is on the Hub's host. */
  private HttpRequest.Builder storage(URI uri) {
    // Uploads of hundreds of MB: no overall deadline beyond what a slow link needs.
    return HttpRequest.newBuilder(uri).timeout(Duration.ofHours(2)).header("User-Agent", USER_AGENT);
  }

  private static HttpRequest.BodyPublisher publisher(UploadFile file, long offset, long length) {
    return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
      try {
        InputStream in = file.content().open();
        in.skipNBytes(offset);
        return new BoundedInputStream(in, length);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }), length);
  }

  private Answer send(HttpRequest request, String what) throws IOException {
    Answer answer = exchange(request);
    if (!answer.ok()) {
      throw httpError(answer, what);
    }
    return answer;
  }

  private Answer exchange(HttpRequest request) throws IOException {
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        byte[] bytes = body.readNBytes(MAX_ANSWER_BYTES + 1);
        if (bytes.length > MAX_ANSWER_BYTES) {
          throw protocol("the answer from " + request.uri().getHost() + " is larger than " + MAX_ANSWER_BYTES
              + " bytes");
        }
        return new Answer(response.statusCode(), bytes, response.headers());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while talking to " + request.uri().getHost());
    } catch (HubException e) {
      throw e;
    } catch (IOException | java.io.UncheckedIOException e) {
      String message = e.getMessage();
      throw new HubException(Kind.UNREACHABLE, "cannot reach " + request.uri().getHost() + " ("
          + e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message) + ")", e);
    }
  }

  private static JsonNode json(Answer answer, String what) throws HubException {
    try {
      JsonNode node = JSON.readTree(answer.body());
      if (node == null || !node.isObject()) {
        throw protocol(what + " did not answer with a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw protocol(what + " did not answer with JSON");
    }
  }

  private HubException httpError(Answer answer, String what) {
    int status = answer.status();
    String detail = errorText(answer).map(m -> ": " + m).orElse("");
    String base = "cannot " + what + ": the Hub answered HTTP " + status + detail;
    if (status == 401 || status == 403) {
      return new HubException(Kind.UNAUTHORIZED, base + "; HF_TOKEN must be a token with write access to this"
          + " namespace");
    }
    if (status == 404) {
      return new HubException(Kind.REPOSITORY_NOT_FOUND, base);
    }
    if (status >= 300 && status < 400) {
      return new HubException(Kind.PROTOCOL, base + " (a redirect; check HF_ENDPOINT)");
    }
    return new HubException(Kind.UNREACHABLE, base);
  }

  private static HubException storageError(Answer answer, String what) {
    return new HubException(Kind.UNREACHABLE, what + " failed: the storage answered HTTP " + answer.status());
  }

  /** X-Error-Message, else the JSON body's "error", cleaned to one short line. */
  private static Optional<String> errorText(Answer answer) {
    Optional<String> text = answer.headers().firstValue("X-Error-Message");
    if (text.isEmpty()) {
      try {
        JsonNode body = JSON.readTree(answer.body());
        if (body != null && body.path("error").isTextual()) {
          text = Optional.of(body.path("error").asText());
        }
      } catch (IOException e) {
        text = Optional.empty();
      }
    }
    return text.map(HubUploader::abbreviate).filter(t -> !t.isBlank());
  }

  private static URI href(JsonNode action, String kind, String name) throws HubException {
    if (!action.path("href").isTextual()) {
      throw protocol("the " + kind + " action of " + name + " has no href");
    }
    return httpUri(action.path("href").asText(), "the " + kind + " URL of " + name);
  }

  private static URI httpUri(String text, String what) throws HubException {
    try {
      URI uri = new URI(text);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw protocol(what + " is not an http(s) URL");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw protocol(what + " is not a URL");
    }
  }

  private void requireWritable() throws HubException {
    if (settings.offline()) {
      throw new HubException(Kind.UNREACHABLE, "HF_HUB_OFFLINE is set: nothing can be pushed to the Hub");
    }
    if (settings.token().isEmpty()) {
      throw new HubException(Kind.UNAUTHORIZED, "pushing to the Hub needs a token with write access: set HF_TOKEN"
          + " (or log in with `hf auth login`, which writes $HF_HOME/token)");
    }
  }

  private static void requireRepoId(String repoId) {
    if (!HubClient.isRepoId(repoId)) {
      throw new IllegalArgumentException("not a hub repository id: '" + repoId + "' (expected name or org/name)");
    }
  }

  private static HubException protocol(String message) {
    return new HubException(Kind.PROTOCOL, message + "; check HF_ENDPOINT");
  }

  private static long parseLong(String text) throws HubException {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw protocol("a chunk size of '" + abbreviate(text) + "' is not a number");
    }
  }

  private static byte[] readAll(UploadFile file) throws IOException {
    try (InputStream in = file.content().open()) {
      return in.readAllBytes();
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the Hub said, on one line and short: it is untrusted text going into a log line. */
  private static String abbreviate(String text) {
    String line = text.replaceAll("\\p{Cntrl}", " ").strip();
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  private static String encode(String revision) {
    return java.net.URLEncoder.encode(revision, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
  }

  /** At most {@code remaining} bytes of a stream: one part of a multipart upload. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long remaining) {
      this.in = in;
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
