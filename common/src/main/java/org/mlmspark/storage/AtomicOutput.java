package org.mlmspark.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
 * the caller verifies against its manifest), swaps it in with renames and writes {@value #MANIFEST} last. The
 * manifest is the commit marker: readers must refuse a directory without it. {@link #close} without a commit
 * removes the run's staging directory. A run killed outright leaves its staging directory behind; the next run
 * to hold the lock removes it (its owner no longer holds the lock, and a run whose lock was taken over stops
 * before committing).
 *
 * <p>Where directory rename is atomic (local, HDFS): the old output is renamed to {@code .NAME.previous}, the
 * staging directory to the output, the manifest written, the old output deleted. A run killed at any point
 * leaves the previous output intact: untouched while data is written, and restored by the next run if the kill
 * fell inside the two-rename swap.
 *
 * <p>On object stores (s3a, gs, ...) rename copies object by object and is not atomic. There the old manifest
 * is deleted first (the old output stops being valid before it is touched), the old output deleted, the staging
 * directory copied into place, and the manifest written last. The old output stays intact and readable while the
 * job computes and writes its data; a run killed during the commit leaves no output with a manifest, never a
 * partial one that looks complete.
 */
public final class AtomicOutput implements AutoCloseable {
  public static final String MANIFEST = "manifest.json";
  private static final String MANIFEST_IN_PROGRESS = "_" + MANIFEST + ".tmp";
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
    this.atomicRename = !NON_ATOMIC_RENAME_SCHEMES.contains(fs.getScheme().toLowerCase(Locale.ROOT));
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
    if (atomicRename) {
      boolean hadPrevious = fs.exists(output);
      if (hadPrevious) {
        rename(output, previous);
      }
      try {
        rename(staging, output);
      } catch (IOException e) {
        if (hadPrevious) {
          rename(previous, output);
        }
        throw e;
      }
      writeManifest(manifest);
      if (hadPrevious) {
        fs.delete(previous, true);
      }
    } else {
      if (fs.exists(output)) {
        fs.delete(new Path(output, MANIFEST), false);
        fs.delete(output, true);
      }
      rename(staging, output);
      writeManifest(manifest);
    }
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

  private void writeManifest(byte[] manifest) throws IOException {
    Path inProgress = new Path(output, MANIFEST_IN_PROGRESS);
    try (OutputStream out = fs.create(inProgress, true)) {
      out.write(manifest);
    }
    rename(inProgress, new Path(output, MANIFEST));
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
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }
}
