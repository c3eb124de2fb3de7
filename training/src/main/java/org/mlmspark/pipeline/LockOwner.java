package org.mlmspark.pipeline;

import java.time.Instant;

/**
 * The content of the lock file: who holds it and when it last said it is alive.
 *
 * @param token unique per acquisition, so an owner can tell its lock from a successor's
 * @param heartbeat refreshed by the owner while it runs
 */
public record LockOwner(String host, long pid, String token, Instant acquired, Instant heartbeat) {
  /** A lock file that cannot be read (e.g. caught mid-write): only its modification time is known. */
  public static LockOwner unreadable(Instant modified) {
    return new LockOwner("?", -1, "", modified, modified);
  }

  public LockOwner beating(Instant now) {
    return new LockOwner(host, pid, token, acquired, now);
  }

  @Override
  public String toString() {
    return "pid " + pid + " on " + host + " (since " + acquired + ")";
  }
}
