package org.mlmspark.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.mlmspark.storage.AtomicOutput;

/**
 * The huggingface_hub cache layout, so files are shared with Python tools on the same machine:
 * <pre>
 * {cacheDir}/models--{org}--{name}/
 *   blobs/{etag}                        file content, named by its git sha1 or LFS sha256
 *   snapshots/{commit}/{filename}       relative symlink to ../../blobs/{etag}
 *   refs/{revision}                     the commit a branch or tag pointed to when last asked
 *   .no_exist/{commit}/{filename}       empty marker: the file is known not to exist at that commit
 * </pre>
 */
final class HubCache {
  static final Pattern COMMIT_HASH = Pattern.compile("^[0-9a-f]{40}$");

  private final Path root;

  HubCache(Path root) {
    this.root = root;
  }

  Path repoDir(String repoId) {
    return inside(root.resolve("models--" + repoId.replace("/", "--")));
  }

  Path blob(String repoId, String etag) {
    return inside(repoDir(repoId).resolve("blobs").resolve(etag));
  }

  Path snapshot(String repoId, String commit, String filename) {
    return inside(repoDir(repoId).resolve("snapshots").resolve(commit).resolve(filename));
  }

  Path noExistMarker(String repoId, String commit, String filename) {
    return inside(repoDir(repoId).resolve(".no_exist").resolve(commit).resolve(filename));
  }

  private Path ref(String repoId, String revision) {
    return inside(repoDir(repoId).resolve("refs").resolve(revision));
  }

  /**
   * The commit {@code revision} names: itself if it is a commit hash, else what {@code refs/} last recorded (a ref
   * file holding anything but a commit hash is ignored: its content becomes a directory name).
   */
  Optional<String> commitOf(String repoId, String revision) throws IOException {
    if (COMMIT_HASH.matcher(revision).matches()) {
      return Optional.of(revision);
    }
    Path ref = ref(repoId, revision);
    if (!Files.isRegularFile(ref) || Files.size(ref) > 1024) {
      return Optional.empty();
    }
    String commit = Files.readString(ref).trim();
    return COMMIT_HASH.matcher(commit).matches() ? Optional.of(commit) : Optional.empty();
  }

  /**
   * {@code path} if it stays inside the cache once {@code ..} and {@code .} are resolved. Callers validate every
   * name first; this is the check that a name which slipped through cannot write or read elsewhere.
   */
  private Path inside(Path path) {
    Path cache = root.toAbsolutePath().normalize();
    Path normalized = path.toAbsolutePath().normalize();
    if (!normalized.startsWith(cache) || normalized.equals(cache)) {
      throw new IllegalArgumentException(path + " would lie outside the HF cache " + root + "; refused");
    }
    return path;
  }

  void recordRef(String repoId, String revision, String commit) throws IOException {
    if (revision.equals(commit)) {
      return;
    }
    Path ref = ref(repoId, revision);
    if (!Files.isRegularFile(ref) || !Files.readString(ref).trim().equals(commit)) {
      AtomicOutput.writeFile(ref, out -> out.write(commit.getBytes(StandardCharsets.UTF_8)));
    }
  }

  void markMissing(String repoId, String commit, String filename) throws IOException {
    Path marker = noExistMarker(repoId, commit, filename);
    Files.createDirectories(marker.getParent());
    if (!Files.exists(marker)) {
      Files.createFile(marker);
    }
  }

  /**
   * Points {@code snapshot} at {@code blob} with a relative symlink, as huggingface_hub does (the cache
   * stays valid when moved); where symlinks are not allowed, the snapshot gets a copy instead.
   */
  void link(Path blob, Path snapshot) throws IOException {
    Files.createDirectories(snapshot.getParent());
    Path temp = snapshot.resolveSibling(snapshot.getFileName() + "." + UUID.randomUUID() + ".link");
    try {
      Files.createSymbolicLink(temp, snapshot.getParent().relativize(blob));
      Files.move(temp, snapshot, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.deleteIfExists(temp);
      try (var in = Files.newInputStream(blob)) {
        AtomicOutput.writeFile(snapshot, in::transferTo);
      }
    }
  }
}
