package org.mlmspark.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Files of a directory someone else wrote (a model or tokenizer directory, a hub snapshot), opened so that a
 * hostile directory cannot make the reader leave it: names are plain relative paths (no absolute path, no
 * {@code ..}, no scheme); on local disk the real path, symlinks followed, must stay inside a boundary (the
 * directory itself, or the HF cache folder of the repository a snapshot links into); only regular files are read
 * (a FIFO would block, {@code /dev/zero} never ends); and a read stops at a size cap. On {@code hdfs://} and
 * {@code s3a://} the file status must be a plain file and not a symlink.
 */
public final class ContainedFiles {
  private final FileSystem fs;
  private final Path root;
  /** What the directory is, for messages: "model directory", "tokenizer directory". */
  private final String kind;
  /** Local directories only: the real path every file must resolve inside; null on other file systems. */
  private final java.nio.file.Path boundary;

  private ContainedFiles(FileSystem fs, Path root, String kind, java.nio.file.Path boundary) {
    this.fs = fs;
    this.root = root;
    this.kind = kind;
    this.boundary = boundary;
  }

  /**
   * The files under {@code root} (qualified), a {@code kind} such as "model directory" for messages. A local
   * {@code snapshots/<commit>} folder of the HF cache may link into its repository's {@code blobs/}, as
   * huggingface_hub lays it out, so its boundary is the repository folder.
   */
  public static ContainedFiles of(FileSystem fs, Path root, String kind) throws IOException {
    if (!isLocal(fs)) {
      return new ContainedFiles(fs, root, kind, null);
    }
    java.nio.file.Path local = Paths.get(root.toUri()).toAbsolutePath().normalize();
    // A directory that does not exist yet holds nothing to read; its own path is the boundary.
    java.nio.file.Path real = Files.exists(local) ? local.toRealPath() : local;
    java.nio.file.Path parent = real.getParent();
    java.nio.file.Path repo = parent == null ? null : parent.getParent();
    boolean snapshot = repo != null && parent.getFileName().toString().equals("snapshots")
        && repo.getFileName().toString().startsWith("models--");
    return new ContainedFiles(fs, root, kind, snapshot ? repo : real);
  }

  public Path root() {
    return root;
  }

  /**
   * The status of {@code name}, refused unless it is a plain relative name of a regular file inside the
   * directory.
   *
   * @throws FileNotFoundException when there is no such file
   * @throws IllegalArgumentException when the name or what it resolves to is refused
   */
  public FileStatus status(String name) throws IOException {
    Path path = path(name);
    if (boundary != null) {
      java.nio.file.Path local = Paths.get(path.toUri());
      java.nio.file.Path real;
      try {
        real = local.toRealPath();
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException("no " + name + " in " + kind + " " + root);
      }
      if (!real.startsWith(boundary)) {
        throw new IllegalArgumentException(path + " leads outside " + boundary + " (to " + real + "); refused");
      }
      if (!Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
        throw new IllegalArgumentException(path + " is not a regular file (" + describe(real) + "); refused");
      }
      return fs.getFileStatus(path);
    }
    FileStatus status;
    try {
      status = fs.getFileLinkStatus(path); // a symlink's own status where the file system has symlinks (HDFS)
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException("no " + name + " in " + kind + " " + root);
    }
    if (status.isSymlink() || !status.isFile()) {
      throw new IllegalArgumentException(path + " is not a regular file; refused");
    }
    return status;
  }

  /** Whether {@code name} exists at all (a refused name counts: reading it then says why). */
  public boolean exists(String name) throws IOException {
    Path path = path(name);
    if (boundary != null) {
      return Files.exists(Paths.get(path.toUri()), LinkOption.NOFOLLOW_LINKS);
    }
    return fs.exists(path);
  }

  /** Opens {@code name} after the checks of {@link #status}. */
  public InputStream open(String name) throws IOException {
    status(name);
    return fs.open(path(name));
  }

  /** The whole of {@code name}, refused if it is longer than {@code maxBytes}. */
  public byte[] read(String name, long maxBytes) throws IOException {
    FileStatus status = status(name);
    if (status.getLen() > maxBytes) {
      throw tooLarge(name, maxBytes);
    }
    try (InputStream in = fs.open(path(name))) {
      byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > maxBytes) {
        throw tooLarge(name, maxBytes);
      }
      return bytes;
    }
  }

  private IllegalArgumentException tooLarge(String name, long maxBytes) {
    return new IllegalArgumentException(new Path(root, name) + " is larger than " + maxBytes
        + " bytes, more than such a file ever needs; refused");
  }

  /** {@code root/name} for a name that is a plain relative path. */
  private Path path(String name) {
    if (!isPlainRelative(name)) {
      throw new IllegalArgumentException("file name '" + name + "' in " + root
          + " is not a plain relative path inside the directory; refused");
    }
    return new Path(root, name);
  }

  /** Segments separated by '/', none empty, '.' or '..', no backslash, colon or control character. */
  public static boolean isPlainRelative(String name) {
    if (name == null || name.isEmpty() || name.length() > 1024) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7F || c == '\\' || c == ':') {
        return false;
      }
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static String describe(java.nio.file.Path real) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
    return attributes.isDirectory() ? "a directory" : attributes.isOther() ? "a device, FIFO or socket" : "not a file";
  }

  private static boolean isLocal(FileSystem fs) {
    return "file".equals(fs.getUri().getScheme());
  }
}
