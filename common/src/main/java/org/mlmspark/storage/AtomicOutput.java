package org.mlmspark.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.mlmspark.cli.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces an output directory only with a complete new one, one writer at a time. {@link #prepare} takes the
 * output's {@link OutputLock} (a second writer fails with exit {@value OutputLock#LOCKED_EXIT_CODE}, naming the
 * holder), held until {@link #close}. Everything is written to a staging directory beside the output, unique to
 * the run ({@code .NAME.staging-TOKEN}); {@link #commit} checks it (no Spark {@code _temporary} debris, and what
 * the caller verifies against its manifest), adds {@value #MANIFEST} and swaps it in with renames. The manifest
 * is the commit marker: readers must refuse a directory without it. {@link #close} without a commit
 * removes the run's staging directory. A run killed outright leaves its staging directory behind; the next run
 * to hold the lock removes it (its owner no longer holds the lock, and a run whose lock was taken over stops
 * before committing).
 *
 * <p>Where directory rename is atomic (local, HDFS): the old output is renamed to {@code .NAME.previous}, the
 * staging directory (manifest included) to the output, the old output deleted. A run killed at any point
 * leaves the previous output intact: untouched while data is written, and restored by the next run if the kill
 * fell inside the two-rename swap.
 *
 * <p>On object stores (s3a, gs, ...) rename copies object by object and is not atomic. There the old manifest
 * is deleted first (the old output stops being valid before it is touched), the old output deleted, the staging
 * directory copied into place, and the manifest renamed into place last. The old output stays intact and
 * readable while the job computes and writes its data; a run killed during the commit leaves no output with a manifest, never a
 * partial one that looks complete.
 *
 * <p>The static methods commit single files ({@link #writeFile}) and directories ({@link #writeDirectory},
 * {@link #writeEntries}) the same way, for writers that hold no lock or manage their own.
 */
public final class AtomicOutput implements AutoCloseable {
  public static final String MANIFEST = "manifest.json";
  private static final String MANIFEST_IN_PROGRESS = inProgress(MANIFEST);
  private static final Set<String> NON_ATOMIC_RENAME_SCHEMES =
      Set.of("s3a", "s3", "s3n", "gs", "oss", "cosn", "obs", "wasb", "wasbs");

  /** Written by Spark's file committers while tasks run; never part of a finished output. */
  private static final String SPARK_TEMPORARY = "_temporary";

  private static final Logger LOG = LoggerFactory.getLogger(AtomicOutput.class);

  /** Checks the staged files against what the run is about to record in its manifest. */
  @FunctionalInterface
  public interface Verification {
    /** @throws IOException describing the mismatch when the staged files are not what the manifest says */
    void verify(FileSystem fs, Path staging) throws IOException;
  }

  private final FileSystem fs;
  private final Path output;
  private final OutputLock lock;
  private final String stagingPrefix;
  private final Path staging;
  private final Path previous;
  private final boolean atomicRename;
  private boolean done;

  private AtomicOutput(FileSystem fs, Path output, OutputLock lock) {
    this.fs = fs;
    this.output = output;
    this.lock = lock;
    this.stagingPrefix = "." + output.getName() + ".staging";
    this.staging = new Path(output.getParent(), stagingPrefix + "-" + lock.token());
    this.previous = new Path(output.getParent(), "." + output.getName() + ".previous");
    this.atomicRename = renamesAtomically(fs);
  }

  /**
   * Takes the output's lock, checks that {@code output} may be replaced, finishes or undoes a commit an earlier
   * run was killed in, removes what killed runs left and creates this run's staging directory.
   *
   * @param expectedEntries names a previous output of this job may hold; anything else means the directory is
   *     not ours and is never replaced
   */
  public static AtomicOutput prepare(Path output, Set<String> expectedEntries, Configuration conf)
      throws IOException {
    FileSystem fs = output.getFileSystem(conf);
    Path qualified = fs.makeQualified(new Path(output.toString())); // the String form drops a trailing slash
    if (qualified.getParent() == null) {
      throw new UserError("--output must be a directory below the file system root: " + output);
    }
    OutputLock lock = OutputLock.forOutput(qualified, conf);
    try {
      AtomicOutput out = new AtomicOutput(fs, qualified, lock);
      out.recoverInterruptedCommit();
      out.checkReplaceable(expectedEntries);
      out.removeAbandonedStaging();
      if (!fs.mkdirs(out.staging)) {
        throw new IOException("could not create " + out.staging);
      }
      return out;
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** Where the job writes everything but the manifest. */
  public Path staging() {
    return staging;
  }

  public Path output() {
    return output;
  }

  /** {@link #commit(byte[], Verification)} with no check beyond the absence of Spark debris. */
  public void commit(byte[] manifest) throws IOException {
    commit(manifest, (stagedFs, staged) -> {});
  }

  /**
   * Puts the staged output in place and writes the manifest; see the class comment for the guarantees. Refuses
   * (leaving the output untouched) when the lock was lost, when Spark left {@code _temporary} files behind, or
   * when {@code verification} finds the staged files disagree with the manifest.
   */
  public void commit(byte[] manifest, Verification verification) throws IOException {
    if (done) {
      throw new IllegalStateException("already committed or aborted: " + staging);
    }
    lock.check();
    requireNoSparkDebris();
    verification.verify(fs, staging);
    lock.check();
    try (OutputStream out = fs.create(new Path(staging, MANIFEST), true)) {
      out.write(manifest);
    }
    replaceDirectory(fs, staging, output, previous, MANIFEST, atomicRename);
    done = true;
  }

  /** Drops the staged data of a failed run; the output is untouched. */
  public void abort() {
    done = true;
    try {
      fs.delete(staging, true);
    } catch (IOException e) {
      LOG.warn("Could not remove {}: {}", staging, e.getMessage());
    }
  }

  /** Removes the staging directory unless the run committed, and releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      if (!done) {
        abort();
      }
    } finally {
      lock.close();
    }
  }

  /** Staging directories of earlier runs of this output: their owners were killed (we hold the lock). */
  private void removeAbandonedStaging() throws IOException {
    for (FileStatus sibling : fs.listStatus(output.getParent())) {
      String name = sibling.getPath().getName();
      if (name.equals(stagingPrefix) || name.startsWith(stagingPrefix + "-")) {
        LOG.info("Removing {}, left by an earlier run that was stopped", sibling.getPath());
        fs.delete(sibling.getPath(), true);
      }
    }
  }

  private void requireNoSparkDebris() throws IOException {
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(staging, true);
    while (files.hasNext()) {
      Path file = files.next().getPath();
      for (Path p = file; p != null && !p.equals(staging); p = p.getParent()) {
        if (p.getName().equals(SPARK_TEMPORARY)) {
          throw new IOException("not committing " + output + ": Spark left unfinished task output in " + p);
        }
      }
    }
  }

  private void recoverInterruptedCommit() throws IOException {
    if (!fs.exists(previous)) {
      return;
    }
    if (fs.exists(new Path(output, MANIFEST))) {
      fs.delete(previous, true); // the commit finished; only the clean-up was missed
    } else {
      if (fs.exists(output)) {
        fs.delete(output, true);
      }
      rename(previous, output);
      LOG.warn("Restored the previous output {}: an earlier run was stopped while committing", output);
    }
  }

  private void checkReplaceable(Set<String> expectedEntries) throws IOException {
    if (!fs.exists(output)) {
      return;
    }
    if (!fs.getFileStatus(output).isDirectory()) {
      throw new UserError("--output " + output + " is a file, not a directory");
    }
    List<String> foreign = new ArrayList<>();
    for (FileStatus child : fs.listStatus(output)) {
      String name = child.getPath().getName();
      if (!expectedEntries.contains(name) && !name.equals(MANIFEST) && !name.equals(MANIFEST_IN_PROGRESS)) {
        foreign.add(name);
      }
    }
    if (!foreign.isEmpty()) {
      throw new UserError(
          "refusing to replace --output " + output + ": it holds " + String.join(", ", foreign)
              + ", which this job did not write");
    }
  }

  private void rename(Path from, Path to) throws IOException {
    rename(fs, from, to);
  }

  // ---- Single files and directories committed outside a locked output -------------------------------------

  /** Writes a file's content to the stream it is given. */
  @FunctionalInterface
  public interface FileContent {
    void write(OutputStream out) throws IOException;
  }

  /** Writes files into the directory it is given. */
  @FunctionalInterface
  public interface DirectoryContent {
    void write(Path directory) throws IOException;
  }

  /**
   * {@link #writeFile(FileSystem, Path, Path, boolean, FileContent)} for a file of this machine's disk, such as the HF
   * cache, through {@code java.nio} rather than Hadoop's local file system (which would add {@code .crc} files
   * beside it): the content goes to {@code TARGET.UUID.incomplete} and is renamed over {@code target} in one atomic
   * step, so readers and concurrent writers of the same file see a whole old or a whole new file. A killed writer
   * leaves at most the {@code .incomplete} file.
   */
  public static void writeFile(java.nio.file.Path target, FileContent content) throws IOException {
    java.nio.file.Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // Not Files.createTempFile: its 0600 mode would make shared cache files unreadable to other users; a plain
    // create honours the umask, as huggingface_hub's files do.
    java.nio.file.Path temporary = dir.resolve(target.getFileName() + "." + UUID.randomUUID() + ".incomplete");
    try {
      try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW)) {
        content.write(out);
      }
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** {@code dir/BASE-UUID}: a temporary name no other writer uses. */
  public static Path uniqueTemporary(Path dir, String base) {
    return new Path(dir, base + "-" + UUID.randomUUID());
  }

  /** Whether renaming a directory on {@code fs} is one atomic step (local, HDFS) rather than a copy (object stores). */
  public static boolean renamesAtomically(FileSystem fs) {
    String scheme = fs.getUri().getScheme();
    return scheme == null || !NON_ATOMIC_RENAME_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
  }

  /**
   * Writes {@code target} under the name {@code temporary} (removed if the write fails) and renames it into place:
   * a reader sees the whole file or none (on object stores too, where a file's rename is a copy of one object).
   *
   * @param replace whether an existing {@code target} is replaced; otherwise a rename refused because
   *     {@code target} appeared meanwhile leaves that file as it is (the writers of the name write the same bytes)
   */
  public static void writeFile(FileSystem fs, Path target, Path temporary, boolean replace, FileContent content)
      throws IOException {
    try (OutputStream out = fs.create(temporary, true)) {
      content.write(out);
    } catch (IOException | RuntimeException | Error e) {
      deleteQuietly(fs, temporary, false);
      throw e;
    }
    if (replace) {
      replaceFile(fs, temporary, target);
    } else if (!fs.rename(temporary, target)) {
      fs.delete(temporary, false);
      if (!fs.exists(target)) {
        throw new IOException("could not rename " + temporary + " to " + target);
      }
    }
  }

  /**
   * Writes a directory at {@code staging} (created here, removed whatever happens) and puts it in place of
   * {@code target}, whatever that held. Where directory rename is atomic, the old {@code target} is renamed
   * aside ({@code .NAME.old-UUID} beside it), {@code staging} renamed into place (the old one restored if that
   * fails) and the old one deleted. On object stores the old {@code target}'s marker is deleted, then the old
   * {@code target}, the staged files copied into place and the marker last.
   *
   * @param marker the file whose presence marks {@code target} complete, written by {@code content}; or null
   */
  public static void writeDirectory(FileSystem fs, Path target, Path staging, String marker,
      DirectoryContent content) throws IOException {
    try {
      if (!fs.mkdirs(staging)) {
        throw new IOException("could not create " + staging);
      }
      content.write(staging);
      if (marker != null && !fs.exists(new Path(staging, marker))) {
        throw new IOException("not committing " + target + ": " + staging + " holds no " + marker);
      }
      Path output = new Path(target.toString()); // the String form drops a trailing slash
      Path aside = uniqueTemporary(output.getParent(), "." + output.getName() + ".old");
      replaceDirectory(fs, staging, output, aside, marker, renamesAtomically(fs));
    } finally {
      if (fs.exists(staging)) {
        fs.delete(staging, true);
      }
    }
  }

  /**
   * Writes files at {@code staging} (created here, removed whatever happens) and moves them one by one into the
   * existing directory {@code target}, replacing entries of the same names and leaving the others. The
   * {@code marker} in {@code target} is deleted before the first is moved and the staged one moved last, so
   * {@code target} counts as complete only with every new file in place.
   */
  public static void writeEntries(FileSystem fs, Path target, Path staging, String marker,
      DirectoryContent content) throws IOException {
    try {
      if (!fs.mkdirs(staging)) {
        throw new IOException("could not create " + staging);
      }
      content.write(staging);
      fs.delete(new Path(target, marker), false);
      for (FileStatus file : fs.listStatus(staging)) {
        if (!file.getPath().getName().equals(marker)) {
          replaceFile(fs, file.getPath(), new Path(target, file.getPath().getName()));
        }
      }
      replaceFile(fs, new Path(staging, marker), new Path(target, marker));
    } finally {
      if (fs.exists(staging)) {
        fs.delete(staging, true);
      }
    }
  }

  /**
   * Puts {@code staging}, which holds {@code marker} (or none if null), in place of {@code target}. With atomic
   * rename: {@code target} renamed to {@code aside}, {@code staging} to {@code target} (the old one restored if
   * that fails), {@code aside} deleted. Otherwise: the staged marker renamed out of the way, the old marker
   * deleted, the old {@code target} deleted, {@code staging} renamed (copied) into place and the marker last.
   */
  static void replaceDirectory(FileSystem fs, Path staging, Path target, Path aside, String marker,
      boolean atomicRename) throws IOException {
    if (atomicRename) {
      boolean hadPrevious = fs.exists(target);
      if (hadPrevious) {
        rename(fs, target, aside);
      }
      try {
        rename(fs, staging, target);
      } catch (IOException e) {
        if (hadPrevious) {
          rename(fs, aside, target);
        }
        throw e;
      }
      if (hadPrevious) {
        fs.delete(aside, true);
      }
      return;
    }
    String pending = marker == null ? null : inProgress(marker);
    if (marker != null) {
      rename(fs, new Path(staging, marker), new Path(staging, pending));
    }
    if (fs.exists(target)) {
      if (marker != null) {
        fs.delete(new Path(target, marker), false);
      }
      fs.delete(target, true);
    }
    rename(fs, staging, target);
    if (marker != null) {
      rename(fs, new Path(target, pending), new Path(target, marker));
    }
  }

  /** The name a marker file has while a directory is copied into place. */
  private static String inProgress(String marker) {
    return "_" + marker + ".tmp";
  }

  private static void replaceFile(FileSystem fs, Path from, Path to) throws IOException {
    fs.delete(to, false);
    rename(fs, from, to);
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }

  private static void deleteQuietly(FileSystem fs, Path path, boolean recursive) {
    try {
      fs.delete(path, recursive);
    } catch (IOException e) {
      LOG.warn("Could not remove {}: {}", path, e.getMessage());
    }
  }
}
