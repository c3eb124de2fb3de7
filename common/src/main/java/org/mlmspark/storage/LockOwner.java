package org.mlmspark.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.mlmspark.support.Json;

/**
 * The content of the lock file: who holds it and when it last said it is alive.
 *
 * @param token unique per acquisition, so an owner can tell its lock from a successor's
 * @param heartbeat refreshed by the owner while it runs
 */
public record LockOwner(String host, long pid, String token, Instant acquired, Instant heartbeat) {
  private static final ObjectMapper JSON = Json.mapper();

  /** A lock file that cannot be read (e.g. caught mid-write): only its modification time is known. */
  public static LockOwner unreadable(Instant modified) {
    return new LockOwner("?", -1, "", modified, modified);
  }

  public LockOwner beating(Instant now) {
    return new LockOwner(host, pid, token, acquired, now);
  }

  /** The lock file's JSON: {@code host}, {@code pid}, {@code token}, ISO-8601 {@code acquired}, {@code heartbeat}. */
  public byte[] toJson() {
    ObjectNode node = JSON.createObjectNode()
        .put("host", host).put("pid", pid).put("token", token)
        .put("acquired", acquired.toString()).put("heartbeat", heartbeat.toString());
    try {
      return Json.pretty().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @throws IOException when the bytes are not a complete lock file */
  public static LockOwner fromJson(byte[] json) throws IOException {
    JsonNode node = JSON.readTree(json);
    if (node == null || !node.isObject() || !node.path("token").isTextual() || !node.path("pid").canConvertToLong()) {
      throw new IOException("not a lock file");
    }
    try {
      return new LockOwner(node.path("host").asText(), node.path("pid").asLong(), node.path("token").asText(),
          Instant.parse(node.path("acquired").asText()), Instant.parse(node.path("heartbeat").asText()));
    } catch (DateTimeParseException e) {
      throw new IOException("not a lock file: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "pid " + pid + " on " + host + " (since " + acquired + ")";
  }
}
