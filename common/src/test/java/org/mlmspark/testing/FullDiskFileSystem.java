package org.mlmspark.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system on a full disk, for the files a job writes under a staging directory: every write fails
 * as Hadoop's local file system reports ENOSPC, an {@link FSError} wrapping "No space left on device". Installed
 * in a child JVM with {@code spark.hadoop.fs.file.impl}.
 */
public class FullDiskFileSystem extends LocalFileSystem {
  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    if (!f.toString().contains(".staging-") || !f.getName().startsWith("part-")) {
      return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }
    return new FSDataOutputStream(new OutputStream() {
      @Override
      public void write(int b) {
        throw noSpace();
      }

      @Override
      public void write(byte[] b, int off, int len) {
        throw noSpace();
      }
    }, statistics);
  }

  private static FSError noSpace() {
    try {
      Constructor<FSError> constructor = FSError.class.getDeclaredConstructor(Throwable.class);
      constructor.setAccessible(true);
      return constructor.newInstance(new IOException("No space left on device"));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
