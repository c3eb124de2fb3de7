package org.mlmspark.train.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
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
 * event files, with {@code --report-to tensorboard}). The result is assembled in a hidden sibling and swapped in
 * by renames, the event files and checkpoints moved over last: at every moment the directory is either
 * the unfinished run (checkpoints, no model) or the finished one, never a model without its metrics.
 */
public final class TrainOutput {
  public static final String CHECKPOINTS = "checkpoints";
  public static final String METRICS = "metrics.jsonl";
  public static final String PLOT = "loss.png";

  private TrainOutput() {}

  /** Whether {@code output} holds a finished run's model. */
  public static boolean isFinished(Path output, Configuration conf) throws IOException {
    FileSystem fs = output.getFileSystem(conf);
    return fs.exists(new Path(output, Checkpoints.WEIGHTS)) && fs.exists(new Path(output, METRICS));
  }

  public static void write(Path output, Configuration conf, MaskedLmModel model, ModelDirectory tokenizerSource,
      TrainingState state, TrainingSettings settings, int trainBlocks, int stepsPerEpoch, ModelCard.Facts card)
      throws IOException {
    output = new Path(output.toString()); // drops a trailing slash, so getName() is the directory's name
    FileSystem fs = output.getFileSystem(conf);
    Path parent = output.getParent();
    Path staging = new Path(parent, "." + output.getName() + ".tmp-" + UUID.randomUUID());
    Path previous = new Path(parent, "." + output.getName() + ".old-" + UUID.randomUUID());
    try {
      Checkpoints.save(model, tokenizerSource, staging, conf);
      create(fs, new Path(staging, METRICS), metricsJsonl(state.history()));
      create(fs, new Path(staging, TrainerStateFile.NAME),
          TrainerStateFile.toJson(state, settings, trainBlocks, stepsPerEpoch));
      create(fs, new Path(staging, ModelCard.FILE), ModelCard.render(card, settings, state.schedule(),
          state.history()).getBytes(StandardCharsets.UTF_8));
      try (OutputStream out = fs.create(new Path(staging, PLOT), false)) {
        LossPlot.write(state.history().steps().stream().map(s -> new LossPlot.Point(s.step(), s.loss())).toList(),
            state.history().evals().stream().map(e -> new LossPlot.Point(e.step(), e.loss())).toList(),
            "Training and validation loss", out);
      }
      if (fs.exists(output)) {
        rename(fs, output, previous);
      }
      rename(fs, staging, output);
      for (String kept : new String[] {TensorBoardLog.RUNS, CHECKPOINTS}) {
        if (fs.exists(new Path(previous, kept))) {
          rename(fs, new Path(previous, kept), new Path(output, kept));
        }
      }
    } finally {
      if (fs.exists(staging)) {
        fs.delete(staging, true);
      }
      if (fs.exists(previous) && fs.exists(output)) { // else the swap failed half-way: keep what was there
        fs.delete(previous, true);
      }
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

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }
}
