package org.mlmspark.hub;

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
import java.util.HexFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server that answers like huggingface.co's {@code /resolve/} endpoint: {@code X-Repo-Commit},
 * git-sha1 {@code ETag}s for small files, 302 to a CDN host ({@code localhost} instead of {@code 127.0.0.1})
 * with {@code X-Linked-Etag}/{@code X-Linked-Size} for LFS files, relative 307s for renamed repositories, and
 * 401/404 with {@code X-Error-Code} for private repositories, missing repositories, revisions and files.
 */
public final class FakeHub implements AutoCloseable {
  /** One request as the server saw it. */
  public record Request(String method, String host, String path, boolean authorized) {}

  public final String commit = "0123456789abcdef0123456789abcdef01234567";
  private final HttpServer server;
  private final Map<String, Map<String, byte[]>> repos = new HashMap<>();
  private final Set<String> lfsFiles = new HashSet<>();
  private final Set<String> privateRepos = new HashSet<>();
  private final Map<String, String> renamed = new HashMap<>();
  private final Map<String, byte[]> cdn = new HashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile String validToken;
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
      requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Host"), path,
          auth != null));
      if (path.startsWith("/cdn/")) {
        serveCdn(exchange, path.substring("/cdn/".length()));
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
      if (!revision.equals("main") && !revision.equals(commit)) {
        out.set("X-Error-Code", "RevisionNotFound");
        send(exchange, 404, null);
        return;
      }
      out.set("X-Repo-Commit", commit);
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

  @Override
  public void close() {
    server.stop(0);
  }
}
