package org.mlmspark.train.optim;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

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

  private static final ObjectMapper JSON = new ObjectMapper();

  private OptimizerCheckpoint() {}

  public static void write(Path dir, AdamW optimizer, LinearWarmupSchedule schedule) throws IOException {
    Files.createDirectories(dir);
    try (OutputStream out = Files.newOutputStream(dir.resolve(TENSORS_FILE))) {
      optimizer.moments().encode(out, NDList.Encoding.SAFETENSORS);
    }
    State state = new State(optimizer.stepCount(), optimizer.hyperparameters(), schedule);
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(STATE_FILE).toFile(), state);
  }

  /** Reads a checkpoint written by {@link #write}; the moments live in {@code stateManager}. */
  public static Resumed read(Path dir, NDManager stateManager) throws IOException {
    Path stateFile = dir.resolve(STATE_FILE);
    Path tensorsFile = dir.resolve(TENSORS_FILE);
    if (!Files.isRegularFile(stateFile) || !Files.isRegularFile(tensorsFile)) {
      throw new IOException("no optimizer state (" + STATE_FILE + ", " + TENSORS_FILE + ") in " + dir);
    }
    State state = JSON.readValue(stateFile.toFile(), State.class);
    AdamW optimizer = new AdamW(state.adamW(), stateManager);
    try (NDManager scratch = stateManager.newSubManager();
        InputStream in = Files.newInputStream(tensorsFile)) {
      optimizer.restore(state.step(), NDList.decode(scratch, in));
    }
    return new Resumed(optimizer, state.schedule());
  }
}
