package org.mlmspark.train.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.mlmspark.model.DeviceCopies;
import org.mlmspark.support.Json;

/**
 * The optimizer and schedule part of a checkpoint: {@code optimizer.safetensors} holds the moments
 * ({@code exp_avg.<param>}, {@code exp_avg_sq.<param>}), {@code optimizer.json} the step count,
 * hyper-parameters and schedule. Like torch's {@code load_state_dict}, resuming takes the hyper-parameters
 * from the checkpoint. Making the whole checkpoint directory appear atomically is the caller's job.
 */
public final class OptimizerCheckpoint {
  static final String TENSORS_FILE = "optimizer.safetensors";
  static final String STATE_FILE = "optimizer.json";

  /** What {@code optimizer.json} holds. */
  public record State(long step, AdamW.Hyperparameters adamW, LinearWarmupSchedule schedule) {}

  /** An optimizer and schedule restored from a checkpoint. */
  public record Resumed(AdamW optimizer, LinearWarmupSchedule schedule) {}

  private static final ObjectMapper JSON = Json.mapper();

  private OptimizerCheckpoint() {}

  public static void write(Path dir, AdamW optimizer, LinearWarmupSchedule schedule) throws IOException {
    write(local(dir), optimizer, schedule);
  }

  /** Reads a checkpoint written by {@link #write}; the moments live in {@code stateManager}. */
  public static Resumed read(Path dir, NDManager stateManager) throws IOException {
    return read(local(dir), stateManager);
  }

  /** {@link #write(Path, AdamW, LinearWarmupSchedule)} on any Hadoop file system (local, HDFS, s3a://). */
  public static void write(org.apache.hadoop.fs.Path dir, Configuration conf, AdamW optimizer,
      LinearWarmupSchedule schedule) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    write(new Directory(fs, dir), optimizer, schedule);
  }

  /** {@link #read(Path, NDManager)} on any Hadoop file system. */
  public static Resumed read(org.apache.hadoop.fs.Path dir, Configuration conf, NDManager stateManager)
      throws IOException {
    return read(new Directory(dir.getFileSystem(conf), dir), stateManager);
  }

  private static void write(Directory dir, AdamW optimizer, LinearWarmupSchedule schedule) throws IOException {
    try (OutputStream out = dir.create(TENSORS_FILE); NDManager host = NDManager.newBaseManager(Device.cpu())) {
      DeviceCopies.onHost(optimizer.moments(), host).encode(out, NDList.Encoding.SAFETENSORS);
    }
    State state = new State(optimizer.stepCount(), optimizer.hyperparameters(), schedule);
    try (OutputStream out = dir.create(STATE_FILE)) {
      Json.pretty().writeValue(out, state);
    }
  }

  private static Resumed read(Directory dir, NDManager stateManager) throws IOException {
    if (!dir.has(STATE_FILE) || !dir.has(TENSORS_FILE)) {
      throw new IOException("no optimizer state (" + STATE_FILE + ", " + TENSORS_FILE + ") in " + dir.dir());
    }
    State state;
    try (InputStream in = dir.open(STATE_FILE)) {
      state = JSON.readValue(in, State.class);
    }
    AdamW optimizer = new AdamW(state.adamW(), stateManager);
    try (NDManager scratch = stateManager.newSubManager(); InputStream in = dir.open(TENSORS_FILE)) {
      optimizer.restore(state.step(), NDList.decode(scratch, in));
    }
    return new Resumed(optimizer, state.schedule());
  }

  /** The raw local file system: no .crc side files. */
  private static Directory local(Path dir) throws IOException {
    return new Directory(FileSystem.getLocal(new Configuration()).getRaw(), new org.apache.hadoop.fs.Path(dir.toUri()));
  }

  /** A directory on a Hadoop file system. */
  private record Directory(FileSystem fs, org.apache.hadoop.fs.Path dir) {
    OutputStream create(String name) throws IOException {
      return fs.create(new org.apache.hadoop.fs.Path(dir, name), true);
    }

    InputStream open(String name) throws IOException {
      return fs.open(new org.apache.hadoop.fs.Path(dir, name));
    }

    boolean has(String name) throws IOException {
      return fs.isFile(new org.apache.hadoop.fs.Path(dir, name));
    }
  }
}
