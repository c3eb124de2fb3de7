package org.mlmspark.pipeline;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.train.io.TrainOutput;
import org.mlmspark.train.io.TrainerStateFile;
import org.mlmspark.train.report.ModelCard;

/**
 * Replaces the published model ({@code OUTPUT/model/}, an HF model directory with its model card) with a trained
 * one through
 * {@link AtomicOutput}: the files are staged beside it and swapped in, {@code manifest.json} (which run, its
 * perplexity) written last. Readers see the old model or the new one, never a mix.
 */
final class Publisher {
  /** What a published model holds besides the manifest: the HF model files and the run's metrics. */
  static final List<String> FILES = Stream.concat(
      Stream.of(Checkpoints.CONFIG, Checkpoints.WEIGHTS, Checkpoints.WEIGHTS_INDEX, ModelCard.FILE,
          TrainOutput.METRICS, TrainerStateFile.NAME, TrainOutput.PLOT),
      Checkpoints.TOKENIZER_FILES.stream()).toList();

  private Publisher() {}

  static void publish(Path trained, Path published, byte[] manifest, Configuration conf) throws IOException {
    try (AtomicOutput out = AtomicOutput.prepare(published, Set.copyOf(FILES), conf)) {
      FileSystem from = trained.getFileSystem(conf);
      FileSystem to = out.staging().getFileSystem(conf);
      to.setWriteChecksum(false); // no .crc side files: the directory must look exactly like save_pretrained's
      for (String file : FILES) {
        Path source = new Path(trained, file);
        if (from.exists(source)) {
          FileUtil.copy(from, source, to, new Path(out.staging(), file), false, conf);
        }
      }
      out.commit(manifest);
    }
  }
}
