package org.mlmspark.train.io;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.storage.StorageFailure;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.TrainingState;
import org.mlmspark.train.optim.OptimizerCheckpoint;

/**
 * Training checkpoints, {@code DIR/step-K/}: an HF model directory (config, safetensors, tokenizer files) plus
 * the optimizer moments and schedule ({@link OptimizerCheckpoint}) and {@code trainer_state.json} (step,
 * history, recipe). Data position, masks and dropout draws follow from the step and the seed, so nothing else is
 * needed to continue exactly. A checkpoint is assembled in a hidden sibling and committed with
 * {@link AtomicOutput#writeDirectory}; only directories holding {@code trainer_state.json} (written, and on an
 * object store copied, last) count, so a half-copied one on an object store is ignored too, and a killed run's
 * leftovers are removed by the next run ({@link TrainOutput#removeLeftovers}).
 * The newest {@code keep} are kept. A failed write (a full disk) is one line naming the checkpoint.
 */
public final class TrainCheckpoints {
  private static final Pattern NAME = Pattern.compile("step-(\\d+)");

  private final Path directory;
  private final Configuration conf;
  private final int keep;

  public TrainCheckpoints(Path directory, Configuration conf, int keep) {
    this.directory = directory;
    this.conf = conf;
    this.keep = keep;
  }

  public Path directory() {
    return directory;
  }

  public Path write(MaskedLmModel model, ModelDirectory tokenizerSource, TrainingState state,
      TrainingSettings settings, int trainBlocks, int stepsPerEpoch) throws IOException {
    FileSystem fs = directory.getFileSystem(conf);
    Path target = new Path(directory, "step-" + state.globalStep());
    Path staging = AtomicOutput.uniqueTemporary(directory, "." + target.getName() + ".tmp");
    try {
      // An existing target is an incomplete leftover of a killed run at the same step: it is replaced.
      AtomicOutput.writeDirectory(fs, target, staging, TrainerStateFile.NAME, dir -> {
        Checkpoints.write(model, tokenizerSource, dir, conf);
        OptimizerCheckpoint.write(dir, conf, state.optimizer(), state.schedule());
        try (OutputStream out = fs.create(new Path(dir, TrainerStateFile.NAME), false)) {
          out.write(TrainerStateFile.toJson(state, settings, trainBlocks, stepsPerEpoch));
        }
      });
    } catch (IOException | FSError e) {
      throw StorageFailure.writing(target, e);
    }
    List<Long> steps = completeSteps();
    for (long old : steps.subList(0, Math.max(0, steps.size() - keep))) {
      fs.delete(new Path(directory, "step-" + old), true);
    }
    return target;
  }

  /** The newest complete checkpoint in this directory. */
  public Optional<Path> latest() throws IOException {
    List<Long> steps = completeSteps();
    return steps.isEmpty() ? Optional.empty() : Optional.of(new Path(directory, "step-" + steps.get(steps.size() - 1)));
  }

  /** Whether {@code name} is that of a checkpoint directory, complete or not. */
  public static boolean isCheckpointName(String name) {
    return NAME.matcher(name).matches();
  }

  /** Whether {@code dir} is a complete checkpoint. */
  public static boolean isComplete(Path dir, Configuration conf) throws IOException {
    return dir.getFileSystem(conf).exists(new Path(dir, TrainerStateFile.NAME));
  }

  /**
   * Restores {@code checkpoint} into {@code model} (same config) and returns the state to continue from; the
   * optimizer's moments live in {@code manager}.
   */
  public static TrainingState restore(Path checkpoint, Configuration conf, MaskedLmModel model, NDManager manager,
      TrainingSettings settings, int trainBlocks) throws IOException {
    if (!isComplete(checkpoint, conf)) {
      throw new IOException(checkpoint + " is not a complete training checkpoint (no " + TrainerStateFile.NAME + ")");
    }
    FileSystem fs = checkpoint.getFileSystem(conf);
    TrainerStateFile.Saved saved;
    try (InputStream in = fs.open(new Path(checkpoint, TrainerStateFile.NAME))) {
      saved = TrainerStateFile.read(in.readAllBytes(), settings, trainBlocks, checkpoint.toString());
    }
    Checkpoints.loadWeights(model, ModelDirectory.of(checkpoint, conf), manager); // refuses missing parameters
    OptimizerCheckpoint.Resumed optimizer = OptimizerCheckpoint.read(checkpoint, conf, manager);
    if (optimizer.optimizer().stepCount() != saved.globalStep()) {
      throw new IOException(checkpoint + ": optimizer at step " + optimizer.optimizer().stepCount()
          + " but trainer state at step " + saved.globalStep());
    }
    return new TrainingState(optimizer.optimizer(), optimizer.schedule(), saved.globalStep(), saved.history());
  }

  private List<Long> completeSteps() throws IOException {
    FileSystem fs = directory.getFileSystem(conf);
    List<Long> steps = new ArrayList<>();
    if (!fs.exists(directory)) {
      return steps;
    }
    for (FileStatus status : fs.listStatus(directory)) {
      Matcher m = NAME.matcher(status.getPath().getName());
      if (status.isDirectory() && m.matches() && isComplete(status.getPath(), conf)) {
        steps.add(Long.parseLong(m.group(1)));
      }
    }
    steps.sort(null);
    return steps;
  }
}
