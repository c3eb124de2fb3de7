package org.mlmspark.storage;

import org.apache.hadoop.fs.Path;
import org.mlmspark.cli.UserError;

/**
 * A write that failed (a full disk, a lost connection) as one line naming the path: Hadoop reports a full local
 * disk as an {@code FSError} wrapping "No space left on device", without the path.
 */
public final class StorageFailure {
  private StorageFailure() {}

  /** The failure as a {@link UserError} with exit code {@link UserError#FAILED}. */
  public static UserError writing(Path path, Throwable failure) {
    if (failure instanceof UserError e) {
      return e;
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName()
        : root.getMessage().strip().lines().findFirst().orElse("");
    return new UserError("writing " + path + " failed: " + message, UserError.FAILED, failure);
  }
}
