package org.mlmspark.hub;

import java.io.IOException;

/** A file could not be had from the hub or the cache; {@link #kind()} says why, the message says what to do. */
public final class HubException extends IOException {
  public enum Kind {
    /** Offline mode, no network, or the hub failing, and the file is not cached. */
    UNREACHABLE,
    /** The repository does not exist, or is private and the token (if any) has no access. */
    REPOSITORY_NOT_FOUND,
    /** The branch, tag or commit does not exist in the repository. */
    REVISION_NOT_FOUND,
    /** The repository exists but has no such file. */
    ENTRY_NOT_FOUND,
    /** A token is needed or does not grant access (private or gated repository). */
    UNAUTHORIZED,
    /** The hub answered something this client cannot use safely (missing headers, size or hash mismatch). */
    PROTOCOL
  }

  private final Kind kind;

  public HubException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public HubException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
