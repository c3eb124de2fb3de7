package org.mlmspark.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP server that answers like huggingface.co. Downloads: the {@code /resolve/} endpoint with
 * {@code X-Repo-Commit}, git-sha1 {@code ETag}s for small files, 302 to a CDN host ({@code localhost} instead of
 * {@code 127.0.0.1}) with {@code X-Linked-Etag}/{@code X-Linked-Size} for LFS files, relative 307s for renamed
 * repositories, and 401/404 with {@code X-Error-Code} for private repositories, missing repositories, revisions
 * and files. Uploads, as {@code huggingface_hub} uses them without Xet: {@code /api/whoami-v2},
 * {@code /api/repos/create}, {@code /api/validate-yaml}, {@code /api/models/{repo}/preupload/{rev}}, the LFS batch
 * API with basic and multipart transfers to a storage host ({@code localhost}), and
 * {@code /api/models/{repo}/commit/{rev}}; a commit's files are then downloadable like any other.
 */
public final class FakeHub implements AutoCloseable {
  /** One request as the server saw it. */
  public record Request(String method, String host, String path, boolean authorized, String contentType,
      String accept, byte[] body) {}

  public final String commit = "0123456789abcdef0123456789abcdef01234567";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern API_REPO = Pattern.compile("^/api/models/(.+)/(preupload|commit)/([^/]+)$");
  private static final Pattern LFS_BATCH = Pattern.compile("^/(.+)\\.git/info/lfs/objects/(batch|verify)$");
  private static final Pattern STORAGE = Pattern.compile("^/storage/([0-9a-f]{64})(?:/part/(\\d+))?$");
  private static final Set<String> LFS_SUFFIXES = Set.of(".safetensors", ".bin", ".pt", ".png", ".h5", ".msgpack");

  private final HttpServer server;
  private final Map<String, Map<String, byte[]>> repos = new ConcurrentHashMap<>();
  private final Map<String, String> commits = new ConcurrentHashMap<>();
  private final Set<String> lfsFiles = ConcurrentHashMap.newKeySet();
  private final Set<String> privateRepos = ConcurrentHashMap.newKeySet();
  private final Map<String, String> renamed = new HashMap<>();
  private final Map<String, byte[]> cdn = new ConcurrentHashMap<>();
  /** LFS objects uploaded and verified, by sha256; parts of multipart uploads by sha256 and part number. */
  private final Map<String, byte[]> lfsStore = new ConcurrentHashMap<>();
  private final Map<String, Map<Integer, byte[]>> parts = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Canned> overrides = new CopyOnWriteArrayList<>();
  private volatile String validToken;
  private volatile String user;
  private volatile long multipartAbove = Long.MAX_VALUE;
  private volatile long chunkSize = Long.MAX_VALUE;
  private volatile boolean truncateDownloads;
  private volatile boolean corruptDownloads;
  private volatile Map<String, String> hostileHeaders = Map.of();

  public FakeHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public FakeHub file(String repo, String name, byte[] content, boolean lfs) {
    repos.computeIfAbsent(repo, r -> new HashMap<>()).put(name, content);
    if (lfs) {
      lfsFiles.add(repo + "/" + name);
      cdn.put(sha256(content), content);
    }
    return this;
  }

  public FakeHub privateRepo(String repo, String token) {
    privateRepos.add(repo);
    validToken = token;
    return this;
  }

  /** The account that may create repositories and push: {@code whoami} names it, its token authorizes. */
  public FakeHub user(String name, String token) {
    user = name;
    validToken = token;
    return this;
  }

  /** LFS objects larger than {@code threshold} bytes go through the multipart transfer, in chunks of this size. */
  public FakeHub multipart(long threshold, long chunk) {
    multipartAbove = threshold;
    chunkSize = chunk;
    return this;
  }

  /** The next requests whose method and path match answer {@code status} with {@code body} instead (once each). */
  public FakeHub override(String method, String pathRegex, int status, String body, int times) {
    overrides.add(new Canned(method, Pattern.compile(pathRegex), status, body, new int[] {times}));
    return this;
  }

  private record Canned(String method, Pattern path, int status, String body, int[] left) {}

  /** The files of a repository at its newest commit (empty if it does not exist). */
  public Map<String, byte[]> files(String repo) {
    return Map.copyOf(repos.getOrDefault(repo, Map.of()));
  }

  public String commitOf(String repo) {
    return commits.getOrDefault(repo, commit);
  }

  public boolean isPrivate(String repo) {
    return privateRepos.contains(repo);
  }

  public boolean isLfs(String repo, String file) {
    return lfsFiles.contains(repo + "/" + file);
  }

  public FakeHub renamed(String oldId, String newId) {
    renamed.put(oldId, newId);
    return this;
  }

  /** Downloads stop after half the body while announcing the full length, as when a connection dies. */
  public void truncateDownloads(boolean truncate) {
    truncateDownloads = truncate;
  }

  /** CDN downloads serve altered bytes under the announced sha256. */
  public void corruptDownloads(boolean corrupt) {
    corruptDownloads = corrupt;
  }

  /**
   * Answers every resolve call with these header values instead of the real ones, as a hostile or broken mirror
   * behind HF_ENDPOINT could (e.g. {@code X-Repo-Commit: ../../elsewhere}).
   */
  public void hostileHeaders(Map<String, String> headers) {
    hostileHeaders = Map.copyOf(headers);
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public long count(String method) {
    return requests.stream().filter(r -> r.method().equals(method)).count();
  }

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The git blob id, which the hub sends as the ETag of files not stored in LFS. */
  public static String gitBlobSha1(byte[] content) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha1.digest(content));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      byte[] body = exchange.getRequestBody().readAllBytes();
      Headers in = exchange.getRequestHeaders();
      requests.add(new Request(exchange.getRequestMethod(), in.getFirst("Host"), path, auth != null,
          in.getFirst("Content-Type"), in.getFirst("Accept"), body));
      for (Canned override : overrides) {
        synchronized (override) {
          if (override.left()[0] > 0 && override.method().equals(exchange.getRequestMethod())
              && override.path().matcher(path).find()) {
            override.left()[0]--;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            send(exchange, override.status(), override.body().getBytes(StandardCharsets.UTF_8));
            return;
          }
        }
      }
      if (path.startsWith("/cdn/")) {
        serveCdn(exchange, path.substring("/cdn/".length()));
        return;
      }
      if (handleUpload(exchange, path, auth, body)) {
        return;
      }
      int resolve = path.indexOf("/resolve/");
      if (resolve < 0) {
        send(exchange, 404, null);
        return;
      }
      String repo = path.substring(1, resolve);
      String rest = path.substring(resolve + "/resolve/".length());
      String revision = URLDecoder.decode(rest.substring(0, rest.indexOf('/')), StandardCharsets.UTF_8);
      String file = URLDecoder.decode(rest.substring(rest.indexOf('/') + 1), StandardCharsets.UTF_8);
      Headers out = exchange.getResponseHeaders();
      if (renamed.containsKey(repo)) {
        out.set("Location", "/" + renamed.get(repo) + "/resolve/" + rest);
        send(exchange, 307, null);
        return;
      }
      boolean authorized = validToken != null && ("Bearer " + validToken).equals(auth);
      if (!repos.containsKey(repo) || (privateRepos.contains(repo) && !authorized)) {
        out.set("X-Error-Code", "RepoNotFound");
        out.set("X-Error-Message", "Repository not found");
        send(exchange, auth == null ? 401 : 404, null);
        return;
      }
      if (!revision.equals("main") && !revision.equals(commitOf(repo))) {
        out.set("X-Error-Code", "RevisionNotFound");
        send(exchange, 404, null);
        return;
      }
      out.set("X-Repo-Commit", commitOf(repo));
      byte[] content = repos.get(repo).get(file);
      if (content == null) {
        out.set("X-Error-Code", "EntryNotFound");
        hostileHeaders.forEach(out::set);
        send(exchange, 404, null);
        return;
      }
      out.set("ETag", "\"" + gitBlobSha1(content) + "\"");
      if (lfsFiles.contains(repo + "/" + file)) {
        String sha = sha256(content);
        out.set("X-Linked-Etag", "\"" + sha + "\"");
        out.set("X-Linked-Size", String.valueOf(content.length));
        out.set("Location", "http://localhost:" + server.getAddress().getPort() + "/cdn/" + sha);
        hostileHeaders.forEach(out::set);
        send(exchange, 302, null);
        return;
      }
      hostileHeaders.forEach(out::set);
      send(exchange, 200, content);
    }
  }

  private void serveCdn(HttpExchange exchange, String sha) throws IOException {
    byte[] content = cdn.get(sha);
    if (content == null) {
      send(exchange, 404, null);
      return;
    }
    if (corruptDownloads) {
      content = content.clone();
      content[0] ^= 1;
    }
    send(exchange, 200, content);
  }

  private void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    boolean head = exchange.getRequestMethod().equals("HEAD");
    if (body == null || head) {
      if (body != null) {
        exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
      }
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    OutputStream out = exchange.getResponseBody();
    if (truncateDownloads) {
      out.write(body, 0, body.length / 2);
      out.flush();
      // Closing the socket mid-body is what a dropped connection looks like to the client.
      throw new IOException("simulated connection drop");
    }
    out.write(body);
  }

  // ---- uploads ----

  private boolean handleUpload(HttpExchange exchange, String path, String auth, byte[] body) throws IOException {
    String method = exchange.getRequestMethod();
    boolean authorized = validToken != null && ("Bearer " + validToken).equals(auth);
    Matcher storage = STORAGE.matcher(path);
    if (storage.matches()) {
      // Storage URLs authorize themselves (a real Hub hands out signed URLs): no token needed.
      if (storage.group(2) == null) {
        storeObject(exchange, storage.group(1), body);
      } else {
        parts.computeIfAbsent(storage.group(1), k -> new ConcurrentHashMap<>())
            .put(Integer.parseInt(storage.group(2)), body);
        exchange.getResponseHeaders().set("ETag", "\"" + md5(body) + "\"");
        send(exchange, 200, new byte[0]);
      }
      return true;
    }
    if (path.equals("/api/complete_multipart")) {
      completeMultipart(exchange, body);
      return true;
    }
    boolean api = path.startsWith("/api/models/") || path.equals("/api/whoami-v2") || path.equals("/api/repos/create") || path.equals("/api/validate-yaml")
        || API_REPO.matcher(path).matches() || LFS_BATCH.matcher(path).matches();
    if (!api) {
      return false;
    }
    if (!authorized) {
      json(exchange, 401, JSON.createObjectNode().put("error", "Invalid credentials in Authorization header"));
      return true;
    }
    if (method.equals("GET") && path.startsWith("/api/models/")) {
      String repo = path.substring("/api/models/".length());
      boolean visible = repos.containsKey(repo);
      json(exchange, visible ? 200 : 404, visible ? JSON.createObjectNode().put("id", repo).put("sha", commitOf(repo))
          : JSON.createObjectNode().put("error", "Repository not found"));
      return true;
    }
    if (path.equals("/api/whoami-v2") && method.equals("GET")) {
      json(exchange, 200, JSON.createObjectNode().put("type", "user").put("name", user));
      return true;
    }
    if (!method.equals("POST")) {
      send(exchange, 405, null);
      return true;
    }
    if (path.equals("/api/repos/create")) {
      createRepo(exchange, JSON.readTree(body));
      return true;
    }
    if (path.equals("/api/validate-yaml")) {
      String content = JSON.readTree(body).path("content").asText();
      boolean valid = !content.startsWith("---") || content.indexOf("\n---\n", 3) > 0;
      json(exchange, valid ? 200 : 400, JSON.createObjectNode().set("errors", valid ? JSON.createArrayNode()
          : JSON.createArrayNode().add(JSON.createObjectNode().put("message", "unterminated metadata"))));
      return true;
    }
    Matcher apiRepo = API_REPO.matcher(path);
    if (apiRepo.matches()) {
      String repo = apiRepo.group(1);
      if (!repos.containsKey(repo)) {
        exchange.getResponseHeaders().set("X-Error-Code", "RepoNotFound");
        json(exchange, 404, JSON.createObjectNode().put("error", "Repository not found"));
      } else if (apiRepo.group(2).equals("preupload")) {
        preupload(exchange, JSON.readTree(body));
      } else {
        commit(exchange, repo, body);
      }
      return true;
    }
    Matcher lfs = LFS_BATCH.matcher(path);
    lfs.matches();
    if (!repos.containsKey(lfs.group(1))) {
      json(exchange, 404, JSON.createObjectNode().put("message", "Repository not found"));
    } else if (lfs.group(2).equals("batch")) {
      lfsBatch(exchange, lfs.group(1), JSON.readTree(body));
    } else {
      JsonNode verify = JSON.readTree(body);
      byte[] stored = lfsStore.get(verify.path("oid").asText());
      boolean ok = stored != null && stored.length == verify.path("size").asLong();
      json(exchange, ok ? 200 : 404, JSON.createObjectNode().put("message", ok ? "ok" : "object not found"));
    }
    return true;
  }

  private void createRepo(HttpExchange exchange, JsonNode payload) throws IOException {
    String organization = payload.path("organization").isTextual() ? payload.path("organization").asText() : user;
    String repo = organization + "/" + payload.path("name").asText();
    String url = endpoint() + "/" + repo;
    if (repos.putIfAbsent(repo, new ConcurrentHashMap<>()) != null) {
      json(exchange, 409, JSON.createObjectNode().put("error", "You already created this model repo")
          .put("url", url));
      return;
    }
    if ("private".equals(payload.path("visibility").asText())) {
      privateRepos.add(repo);
    }
    json(exchange, 200, JSON.createObjectNode().put("url", url).put("name", repo));
  }

  private void preupload(HttpExchange exchange, JsonNode payload) throws IOException {
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode files = answer.putArray("files");
    for (JsonNode file : payload.path("files")) {
      String path = file.path("path").asText();
      byte[] sample = Base64.getDecoder().decode(file.path("sample").asText());
      boolean binary = false;
      for (byte b : sample) {
        binary |= b == 0;
      }
      boolean lfs = binary || file.path("size").asLong() >= 10 << 20
          || LFS_SUFFIXES.stream().anyMatch(path::endsWith);
      files.addObject().put("path", path).put("uploadMode", lfs ? "lfs" : "regular").put("shouldIgnore", false)
          .putNull("oid");
    }
    json(exchange, 200, answer);
  }

  private void lfsBatch(HttpExchange exchange, String repo, JsonNode payload) throws IOException {
    ObjectNode answer = JSON.createObjectNode();
    boolean multipartOffered = false;
    for (JsonNode transfer : payload.path("transfers")) {
      multipartOffered |= transfer.asText().equals("multipart");
    }
    ArrayNode objects = JSON.createArrayNode();
    boolean anyMultipart = false;
    for (JsonNode object : payload.path("objects")) {
      String oid = object.path("oid").asText();
      long size = object.path("size").asLong();
      ObjectNode entry = objects.addObject().put("oid", oid).put("size", size);
      if (lfsStore.containsKey(oid)) {
        continue; // already stored: no actions
      }
      ObjectNode actions = entry.putObject("actions");
      ObjectNode upload = actions.putObject("upload");
      if (multipartOffered && size > multipartAbove) {
        anyMultipart = true;
        upload.put("href", endpoint() + "/api/complete_multipart?oid=" + oid + "&signature=fake");
        ObjectNode header = upload.putObject("header");
        header.put("chunk_size", Long.toString(chunkSize));
        for (long part = 1; (part - 1) * chunkSize < size; part++) {
          header.put(Long.toString(part), storageUrl(oid) + "/part/" + part + "?signature=fake");
        }
      } else {
        upload.put("href", storageUrl(oid) + "?signature=fake");
      }
      actions.putObject("verify").put("href", endpoint() + "/" + repo + ".git/info/lfs/objects/verify")
          .putObject("header");
    }
    answer.put("transfer", anyMultipart ? "multipart" : "basic");
    answer.set("objects", objects);
    answer.put("hash_algo", "sha256");
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.git-lfs+json");
    send(exchange, 200, JSON.writeValueAsBytes(answer));
  }

  private void storeObject(HttpExchange exchange, String oid, byte[] body) throws IOException {
    if (!sha256(body).equals(oid)) {
      send(exchange, 400, "content does not match its oid".getBytes(StandardCharsets.UTF_8));
      return;
    }
    lfsStore.put(oid, body);
    send(exchange, 200, new byte[0]);
  }

  private void completeMultipart(HttpExchange exchange, byte[] body) throws IOException {
    JsonNode payload = JSON.readTree(body);
    String oid = payload.path("oid").asText();
    Map<Integer, byte[]> uploaded = parts.getOrDefault(oid, Map.of());
    java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
    int expected = 1;
    for (JsonNode part : payload.path("parts")) {
      byte[] bytes = uploaded.get(part.path("partNumber").asInt());
      if (part.path("partNumber").asInt() != expected++ || bytes == null
          || !part.path("etag").asText().equals("\"" + md5(bytes) + "\"")) {
        json(exchange, 400, JSON.createObjectNode().put("error", "part list does not match the uploaded parts"));
        return;
      }
      whole.writeBytes(bytes);
    }
    if (expected - 1 != uploaded.size()) {
      json(exchange, 400, JSON.createObjectNode().put("error", "parts missing from the completion"));
      return;
    }
    storeObject(exchange, oid, whole.toByteArray());
  }

  private void commit(HttpExchange exchange, String repo, byte[] body) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    Set<String> lfs = new HashSet<>();
    String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
    if (lines.length == 0 || !JSON.readTree(lines[0]).path("key").asText().equals("header")) {
      json(exchange, 400, JSON.createObjectNode().put("error", "the first line must be the header"));
      return;
    }
    for (int i = 1; i < lines.length; i++) {
      JsonNode line = JSON.readTree(lines[i]);
      JsonNode value = line.path("value");
      String path = value.path("path").asText();
      switch (line.path("key").asText()) {
        case "file" -> files.put(path, Base64.getDecoder().decode(value.path("content").asText()));
        case "lfsFile" -> {
          byte[] stored = lfsStore.get(value.path("oid").asText());
          if (stored == null || stored.length != value.path("size").asLong()) {
            json(exchange, 400, JSON.createObjectNode().put("error", "LFS object of " + path + " not uploaded"));
            return;
          }
          files.put(path, stored);
          lfs.add(path);
        }
        default -> {
          json(exchange, 400, JSON.createObjectNode().put("error", "unknown line " + line.path("key")));
          return;
        }
      }
    }
    String oid = gitBlobSha1((commitOf(repo) + new String(body, StandardCharsets.UTF_8)).getBytes(
        StandardCharsets.UTF_8));
    synchronized (this) {
      repos.get(repo).putAll(files);
      for (String path : files.keySet()) {
        if (lfs.contains(path)) {
          lfsFiles.add(repo + "/" + path);
          cdn.put(sha256(files.get(path)), files.get(path));
        } else {
          lfsFiles.remove(repo + "/" + path);
        }
      }
      commits.put(repo, oid);
    }
    json(exchange, 200, JSON.createObjectNode().put("success", true).put("commitOid", oid)
        .put("commitUrl", endpoint() + "/" + repo + "/commit/" + oid));
  }

  private String storageUrl(String oid) {
    return "http://localhost:" + server.getAddress().getPort() + "/storage/" + oid;
  }

  private void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    send(exchange, status, JSON.writeValueAsBytes(body));
  }

  private static String md5(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- the upload protocol as a recording ----

  /** JSON values kept verbatim in a recording: protocol words and file names, not sizes, hashes or contents. */
  private static final Set<String> VERBATIM = Set.of("operation", "transfers", "hash_algo", "key", "algo", "encoding",
      "path", "visibility", "type", "repoType");

  /**
   * The requests of an upload as the protocol sees them, for comparing clients: method, whether the Hub's own host
   * or the storage host was asked, the path with the repository and object ids as placeholders, whether the token
   * came along, the media type, a git-lfs Accept header, and the body's shape (JSON with sizes, hashes and
   * contents replaced by their types; NDJSON line by line).
   */
  public ArrayNode recording(String repo) {
    ArrayNode out = JSON.createArrayNode();
    for (Request request : requests) {
      String path = request.path().replace("/" + repo, "/{repo}").replaceAll("[0-9a-f]{64}", "{oid}");
      ObjectNode entry = out.addObject();
      entry.put("method", request.method());
      entry.put("host", request.host() != null && request.host().startsWith("localhost") ? "storage" : "hub");
      entry.put("path", path);
      entry.put("authorized", request.authorized());
      String type = request.contentType() == null ? null : request.contentType().split(";")[0].trim();
      entry.put("content_type", type);
      if (request.accept() != null && request.accept().contains("git-lfs")) {
        entry.put("accept", request.accept());
      }
      entry.set("body", shape(type, request.body()));
    }
    return out;
  }

  private static JsonNode shape(String type, byte[] body) {
    if (body.length == 0) {
      return JSON.nullNode();
    }
    try {
      if ("application/x-ndjson".equals(type)) {
        ArrayNode lines = JSON.createArrayNode();
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
          lines.add(shape(null, JSON.readTree(line)));
        }
        return lines;
      }
      if (type != null && type.contains("json")) {
        return shape(null, JSON.readTree(body));
      }
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode("<malformed json>");
    }
    return JSON.getNodeFactory().textNode("<bytes>");
  }

  private static JsonNode shape(String key, JsonNode node) {
    if (node.isObject()) {
      ObjectNode shaped = JSON.createObjectNode();
      Map<String, JsonNode> sorted = new TreeMap<>();
      node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
      sorted.forEach((k, v) -> shaped.set(k, shape(k, v)));
      return shaped;
    }
    if (node.isArray()) {
      ArrayNode shaped = JSON.createArrayNode();
      node.forEach(element -> shaped.add(shape(key, element)));
      return shaped;
    }
    if (node.isTextual()) {
      return VERBATIM.contains(key) ? node : JSON.getNodeFactory().textNode("<string>");
    }
    if (node.isNumber()) {
      return JSON.getNodeFactory().textNode("<number>");
    }
    return node; // booleans and null
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
