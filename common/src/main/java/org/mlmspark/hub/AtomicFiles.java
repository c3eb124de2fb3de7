package org.mlmspark.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes files so that readers see either nothing or the whole file: content goes to a unique temporary file
 * in the same directory, then is renamed into place. A killed writer leaves at most a {@code *.incomplete}
 * file, never a truncated file under the final name.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What happens to the bytes on their way to disk (e.g. hashing or counting them). */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  public static void write(Path target, byte[] content) throws IOException {
    write(target, out -> out.write(content));
  }

  public static void copy(InputStream in, Path target) throws IOException {
    write(target, in::transferTo);
  }

  /**
   * Runs {@code writer} against a temporary file next to {@code target} and renames it to {@code target}
   * only if the writer returns normally; a concurrent writer of the same target simply wins or loses the
   * rename, both with complete content.
   */
  public static void write(Path target, Writer writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // Not Files.createTempFile: its 0600 mode would make shared cache files unreadable to other users;
    // a plain create honours the umask as huggingface_hub's files do.
    Path temp = dir.resolve(target.getFileName() + "." + UUID.randomUUID() + ".incomplete");
    try {
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
        writer.writeTo(out);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
