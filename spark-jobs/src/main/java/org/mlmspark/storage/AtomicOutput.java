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
import org.apache.hadoop.fs.Path;
import org.mlmspark.cli.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces an output directory only with a complete new one. Everything is written to a staging directory beside
 * the output ({@code .NAME.staging}); {@link #commit} then swaps it in with renames and writes
 * {@value #MANIFEST} last. The manifest is the commit marker: readers must refuse a directory without it.
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
 *
 * <p>One run per output directory at a time.
 */
public final class AtomicOutput {
  public static final String MANIFEST = "manifest.json";
  private static final String MANIFEST_IN_PROGRESS = "_" + MANIFEST + ".tmp";
  private static final Set<String> NON_ATOMIC_RENAME_SCHEMES =
      Set.of("s3a", "s3", "s3n", "gs", "oss", "cosn", "obs", "wasb", "wasbs");

  private static final Logger LOG = LoggerFactory.getLogger(AtomicOutput.class);

  private final FileSystem fs;
  private final Path output;
  private final Path staging;
  private final Path previous;
  private final boolean atomicRename;

  private AtomicOutput(FileSystem fs, Path output) {
    this.fs = fs;
    this.output = output;
    this.staging = new Path(output.getParent(), "." + output.getName() + ".staging");
    this.previous = new Path(output.getParent(), "." + output.getName() + ".previous");
    this.atomicRename = !NON_ATOMIC_RENAME_SCHEMES.contains(fs.getScheme().toLowerCase(Locale.ROOT));
  }

  /**
   * Checks that {@code output} may be replaced, finishes or undoes a commit an earlier run was killed in, and
   * creates a fresh staging directory.
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
    AtomicOutput out = new AtomicOutput(fs, qualified);
    out.recoverInterruptedCommit();
    out.checkReplaceable(expectedEntries);
    if (fs.exists(out.staging)) {
      LOG.info("Removing {} left by an earlier run that did not finish", out.staging);
      fs.delete(out.staging, true);
    }
    fs.mkdirs(out.staging);
    return out;
  }

  /** Where the job writes everything but the manifest. */
  public Path staging() {
    return staging;
  }

  public Path output() {
    return output;
  }

  /** Puts the staged output in place and writes the manifest; see the class comment for the guarantees. */
  public void commit(byte[] manifest) throws IOException {
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
  }

  /** Drops the staged data of a failed run; the output is untouched. */
  public void abort() {
    try {
      fs.delete(staging, true);
    } catch (IOException e) {
      LOG.warn("Could not remove {}: {}", staging, e.getMessage());
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
