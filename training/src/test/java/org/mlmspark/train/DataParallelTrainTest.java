package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlmspark.train.report.EventFiles;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/train --workers 2} in {@code local[2]}: two ranks as task threads of this JVM, joined by the TCP ring. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DataParallelTrainTest {
  @TempDir static Path dir;
  private static DataParallelCase data;

  @BeforeAll
  static void setUp() throws Exception {
    data = DataParallelCase.create(dir); // on TrainData's local[2], shared with the other trainer tests
  }

  @Test
  void twoWorkersOfBatchFourEndLikeOneWorkerOfBatchEight() throws Exception {
    TrainCommandTest.Run two = data.train(dir.resolve("two-by-four"), 2, 4, "--checkpoint-every", "0");
    data.train(dir.resolve("one-by-eight"), 1, 8, "--checkpoint-every", "0");
    assertTrue(two.out().contains("2 data-parallel workers x batch 4 = 8 samples per micro-batch, 6 steps"),
        two.out());
    data.assertSameTraining(dir.resolve("two-by-four"), dir.resolve("one-by-eight"));
    assertTrue(two.out().contains("Perplexity: "), two.out());
  }

  @Test
  void aRankFailingMidEpochIsRetriedFromTheCheckpointAndEndsLikeAnUninterruptedRun() throws Exception {
    Path uninterrupted = dir.resolve("uninterrupted");
    Path recovered = dir.resolve("recovered");
    data.train(uninterrupted, 2, 4, "--checkpoint-every", "2", "--report-to", "tensorboard");
    TrainCommandTest.Run run = data.train(recovered, 2, 4, "--checkpoint-every", "2", "--inject-failure", "1:3",
        "--report-to", "tensorboard");
    assertTrue(run.out().contains("recovered: stage attempt 1 resumed every rank at step 2"), run.out());
    assertArrayEquals(Files.readAllBytes(uninterrupted.resolve("model.safetensors")),
        Files.readAllBytes(recovered.resolve("model.safetensors")), "final parameters differ");
    assertEquals(DataParallelCase.steps(uninterrupted), DataParallelCase.steps(recovered));
    // rank 0 alone wrote TensorBoard files; the retried stage continued the first attempt's curves
    EventFiles.Read straight = EventFiles.readRun(EventFiles.assertMatchesMetrics(uninterrupted, data.model));
    EventFiles.Read retried = EventFiles.readRun(EventFiles.assertMatchesMetrics(recovered, data.model));
    for (String tag : List.of("train/loss", "train/grad_norm", "eval/loss", "eval/accuracy")) {
      assertEquals(straight.scalars().get(tag).stream().map(p -> p.step() + ":" + p.value()).toList(),
          retried.scalars().get(tag).stream().map(p -> p.step() + ":" + p.value()).toList(), tag);
    }
  }
}
