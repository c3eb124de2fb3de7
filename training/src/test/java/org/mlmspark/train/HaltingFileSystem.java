package org.mlmspark.train;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system, except that the JVM halts (as under SIGKILL: no shutdown hooks, no finally blocks) the
 * moment a checkpoint's last file is about to be created: a run killed in the middle of writing a checkpoint, at
 * a chosen point instead of a lucky one. Installed in a child JVM with {@code spark.hadoop.fs.file.impl}.
 */
public class HaltingFileSystem extends LocalFileSystem {
  /** The exit status of a halted run (that of a process killed by SIGKILL). */
  public static final int HALTED = 137;

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    if (f.getName().equals("trainer_state.json") && f.getParent().getName().startsWith(".step-")) {
      Runtime.getRuntime().halt(HALTED);
    }
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }
}
