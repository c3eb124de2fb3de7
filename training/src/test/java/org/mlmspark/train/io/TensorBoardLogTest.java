package org.mlmspark.train.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.testing.S3ProxyServer;
import org.mlmspark.train.TrainingHistory.EvalLog;
import org.mlmspark.train.TrainingHistory.StepLog;
import org.mlmspark.train.report.EventFiles;

/**
 * The event files on the two kinds of file system: local disk, where every step is readable at once, and an
 * S3-compatible store, where a file appears when closed (after an evaluation, before a checkpoint); a continued
 * run writes into the same directory and its points replace those logged after its checkpoint.
 */
class TensorBoardLogTest {
  private static final Map<String, String> TEXTS = new LinkedHashMap<>(Map.of("args", "{\"seed\": 42}"));

  @TempDir Path tmp;

  private static StepLog step(long step, double loss) {
    return new StepLog(step, step / 4.0, loss, 1.5, 1e-3, 100);
  }

  @Test
  void localFilesAreReadableAfterEveryStep() throws Exception {
    org.apache.hadoop.fs.Path output = new org.apache.hadoop.fs.Path(tmp.resolve("out").toUri());
    try (TensorBoardLog log = TensorBoardLog.open(output, new Configuration(), 0, TEXTS)) {
      log.onStep(step(1, 9.0), null);
      log.onStep(step(2, 8.0), null);
      Path run = Path.of(log.runDirectory().toUri());
      EventFiles.Read live = EventFiles.readRun(run); // the writer still open
      assertEquals(List.of(1L, 2L), live.scalars().get("train/loss").stream().map(EventFiles.Point::step).toList());
      assertEquals(List.of("args/text_summary"), List.copyOf(live.texts().keySet()));
      try (var files = Files.list(run)) {
        assertTrue(files.allMatch(f -> f.getFileName().toString().startsWith("events.out.tfevents.")),
            "no checksum side files");
      }
    }
  }

  @Test
  void onAnObjectStoreFilesAppearAtEvaluationsAndCheckpointsAndAContinuedRunReplacesLaterPoints()
      throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start(tmp.resolve("s3"))) {
      String bucket = "tb-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
      s3.createBucket(bucket);
      Configuration conf = new Configuration();
      s3.applyTo(conf);
      org.apache.hadoop.fs.Path output = new org.apache.hadoop.fs.Path("s3a://" + bucket + "/out");
      FileSystem fs = output.getFileSystem(conf);
      org.apache.hadoop.fs.Path run;
      try (TensorBoardLog log = TensorBoardLog.open(output, conf, 0, TEXTS)) {
        run = log.runDirectory();
        log.onStep(step(1, 9.0), null);
        log.onStep(step(2, 8.0), null);
        log.onEval(new EvalLog(2, 0.5, 8.5, 0.25, 1.0));
        assertEquals(1, fs.listStatus(run).length, "the evaluation closed the first file");
        log.onStep(step(3, 7.0), null);
        log.onCheckpoint(null);
        assertEquals(2, fs.listStatus(run).length, "the checkpoint closed the second");
        log.onStep(step(4, 6.0), null); // logged after the checkpoint, then the run dies
      }
      try (TensorBoardLog resumed = TensorBoardLog.open(output, conf, 3, TEXTS)) {
        assertEquals(run, resumed.runDirectory());
        resumed.onStep(step(4, 5.5), null);
        resumed.onStep(step(5, 5.0), null);
      }
      Path local = Files.createDirectories(tmp.resolve("copy"));
      for (FileStatus file : fs.listStatus(run)) {
        Path copy = local.resolve(file.getPath().getName());
        fs.copyToLocalFile(file.getPath(), new org.apache.hadoop.fs.Path(copy.toUri()));
      }
      assertEquals(1, fs.listStatus(new org.apache.hadoop.fs.Path(output, TensorBoardLog.RUNS)).length);
      EventFiles.Read read = EventFiles.readRun(local);
      assertEquals(List.of("1:9.0", "2:8.0", "3:7.0", "4:5.5", "5:5.0"), read.scalars().get("train/loss").stream()
          .map(p -> p.step() + ":" + p.value()).toList());
      assertEquals(List.of(2L), read.scalars().get("eval/accuracy").stream().map(EventFiles.Point::step).toList());
      assertEquals(1, read.texts().get("args/text_summary").size(), "the continued run adds no second text");
    }
  }
}
