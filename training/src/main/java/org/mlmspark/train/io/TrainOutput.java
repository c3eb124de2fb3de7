package org.mlmspark.train.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
import org.mlmspark.train.TrainingHistory;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.TrainingState;
import org.mlmspark.train.report.LossPlot;
import org.mlmspark.train.report.ModelCard;

/**
 * The result of a run: an HF model directory ({@code config.json}, {@code model.safetensors}, tokenizer files)
 * that {@code from_pretrained} and {@code bin/fill-mask} load, its model card ({@code README.md}), plus
 * {@code metrics.jsonl}, {@code trainer_state.json} and {@code loss.png}.
 *
 * <p>While training, the output directory holds only {@code checkpoints/} (and {@code runs/}, TensorBoard's
 * event files, with {@code --report-to tensorboard}). The result is assembled in a hidden
 * directory inside it and its files renamed into place one by one, {@value #METRICS} last
 * ({@link AtomicOutput#writeEntries}): a run counts as
 * finished ({@link #isFinished}) only once that file is there, and a run killed at any moment leaves its
 * checkpoints where {@code --resume} finds them. The hidden leftovers of a killed run are removed by the next run
 * ({@link #removeLeftovers}), which holds the output's lock.
 */
public final class TrainOutput {
  public static final String CHECKPOINTS = "checkpoints";
  public static final String METRICS = "metrics.jsonl";
  public static final String PLOT = "loss.png";
  /** Everything a run writes into its output directory, besides hidden work directories. */
  public static final Set<String> ENTRIES = Stream.concat(
      Stream.of(CHECKPOINTS, METRICS, PLOT, TrainerStateFile.NAME, Checkpoints.CONFIG, Checkpoints.WEIGHTS,
          ModelCard.FILE, TensorBoardLog.RUNS),
      Checkpoints.TOKENIZER_FILES.stream()).collect(Collectors.toUnmodifiableSet());

  private TrainOutput() {}

  /** Whether {@code output} holds a finished run's model. */
  public static boolean isFinished(Path output, Configuration conf) throws IOException {
    FileSystem fs = output.getFileSystem(conf);
    return fs.exists(new Path(output, Checkpoints.WEIGHTS)) && fs.exists(new Path(output, METRICS));
  }

  /** The names in {@code output} that no training run writes (an unrelated directory must not be touched). */
  public static List<String> foreignEntries(Path output, Configuration conf) throws IOException {
    FileSystem fs = output.getFileSystem(conf);
    List<String> foreign = new ArrayList<>();
    if (fs.exists(output)) {
      for (FileStatus entry : fs.listStatus(output)) {
        String name = entry.getPath().getName();
        if (!ENTRIES.contains(name) && !name.startsWith(".")) {
          foreign.add(name);
        }
      }
    }
    return foreign;
  }

  /**
   * Removes what a killed run left unfinished: hidden work directories in {@code output} and in its
   * checkpoints, and checkpoint directories without their last file. Only for the holder of the output's lock.
   *
   * @return what was removed
   */
  public static List<Path> removeLeftovers(Path output, Configuration conf) throws IOException {
    FileSystem fs = output.getFileSystem(conf);
    List<Path> removed = new ArrayList<>();
    for (Path dir : List.of(output, new Path(output, CHECKPOINTS))) {
      if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
        continue;
      }
      for (FileStatus entry : fs.listStatus(dir)) {
        Path path = entry.getPath();
        boolean unfinishedCheckpoint = dir != output && entry.isDirectory()
            && TrainCheckpoints.isCheckpointName(path.getName()) && !TrainCheckpoints.isComplete(path, conf);
        if ((entry.isDirectory() && path.getName().startsWith(".")) || unfinishedCheckpoint) {
          fs.delete(path, true);
          removed.add(path);
        }
      }
    }
    return removed;
  }

  public static void write(Path output, Configuration conf, MaskedLmModel model, ModelDirectory tokenizerSource,
      TrainingState state, TrainingSettings settings, int trainBlocks, int stepsPerEpoch, ModelCard.Facts card)
      throws IOException {
    output = new Path(output.toString()); // drops a trailing slash, so getName() is the directory's name
    FileSystem fs = output.getFileSystem(conf);
    Path staging = AtomicOutput.uniqueTemporary(output, ".result.tmp");
    try {
      AtomicOutput.writeEntries(fs, output, staging, METRICS, dir -> {
        Checkpoints.write(model, tokenizerSource, dir, conf);
        create(fs, new Path(dir, METRICS), metricsJsonl(state.history()));
        create(fs, new Path(dir, TrainerStateFile.NAME),
            TrainerStateFile.toJson(state, settings, trainBlocks, stepsPerEpoch));
        create(fs, new Path(dir, ModelCard.FILE), ModelCard.render(card, settings, state.schedule(),
            state.history()).getBytes(StandardCharsets.UTF_8));
        try (OutputStream out = fs.create(new Path(dir, PLOT), false)) {
          LossPlot.write(
              state.history().steps().stream().map(s -> new LossPlot.Point(s.step(), s.loss())).toList(),
              state.history().evals().stream().map(e -> new LossPlot.Point(e.step(), e.loss())).toList(),
              "Training and validation loss", out);
        }
      });
    } catch (IOException | FSError e) {
      throw StorageFailure.writing(output, e);
    }
  }

  /** One JSON object per line: every step, and every evaluation after the step it followed. */
  static byte[] metricsJsonl(TrainingHistory history) {
    StringBuilder lines = new StringBuilder();
    ArrayNode entries = history.toLogHistory();
    entries.forEach(entry -> lines.append(entry.toString()).append('\n'));
    return lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void create(FileSystem fs, Path file, byte[] bytes) throws IOException {
    try (OutputStream out = fs.create(file, false)) {
      out.write(bytes);
    }
  }
}
