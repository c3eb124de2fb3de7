package org.mlmspark.hub;

import java.nio.file.Path;

/**
 * A hub file in the local cache.
 *
 * @param path   {@code snapshots/<commit>/<filename>} inside the repository's cache folder
 * @param commit the commit the file belongs to
 * @param origin how this call got it
 */
public record HubFile(String repoId, String filename, String commit, Path path, Origin origin) {
  public enum Origin {
    /** Fetched from the hub by this call. */
    DOWNLOADED,
    /** Already cached, and the hub confirmed it is the revision's current version. */
    CACHED,
    /** Taken from the cache without asking the hub (offline mode, or the hub could not be reached). */
    CACHED_UNVERIFIED
  }
}
