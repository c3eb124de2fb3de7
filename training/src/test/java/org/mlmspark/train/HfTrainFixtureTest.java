package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlmspark.tokenizer.SpecialTokens;
import org.mlmspark.train.data.MaskedBatch;
import org.mlmspark.train.io.HfTrainRecording;
import org.mlmspark.train.optim.AdamW;
import org.mlmspark.train.optim.LinearWarmupSchedule;

/**
 * The parts of HF's 10-step training fixture that need no model: the settings, the schedule and the batches.
 * Loss, grad norm and the trained parameters are checked once the RoBERTa model is available.
 */
class HfTrainFixtureTest {
  static HfTrainRecording fixture;

  @BeforeAll
  static void load() throws Exception {
    fixture = HfTrainFixture.load();
  }

  @Test
  void scheduleGivesTheLearningRateHfLoggedAtEveryStep() {
    LinearWarmupSchedule schedule = fixture.optimizer().linearSchedule();
    assertEquals(10, fixture.log().size());
    for (HfTrainRecording.LogEntry entry : fixture.log()) {
      double expected = entry.lr();
      assertEquals(expected, schedule.learningRate(entry.step() - 1), Math.abs(expected) * 1e-12,
          "lr of step " + entry.step());
    }
  }

  @Test
  void optimizerSettingsAreHfTrainerDefaultsThatAdamWImplements() {
    HfTrainRecording.Optimizer optimizer = fixture.optimizer();
    assertEquals("AdamW", optimizer.name());
    assertEquals(AdamW.Hyperparameters.hfDefaults(optimizer.weightDecay()), optimizer.adamW());
    assertEquals(1.0, optimizer.maxGradNorm());
  }

  @Test
  void batchesAreCollatorOutputForTheTinyModel() throws Exception {
    SpecialTokens tokens = SpecialTokens.load(HfTrainFixture.directory().resolve("model"));
    int[] special = tokens.withPadAsEos().ids();
    assertEquals(10, fixture.batches().size());
    int labelled = 0;
    int masked = 0;
    for (HfTrainRecording.Batch json : fixture.batches()) {
      MaskedBatch batch = json.toMaskedBatch();
      assertEquals(4, batch.batchSize());
      assertEquals(32, batch.sequenceLength());
      for (int at = 0; at < batch.labels().length; at++) {
        int label = batch.labels()[at];
        int input = batch.inputIds()[at];
        if (label == MaskedBatch.IGNORE_INDEX) {
          assertNotEquals(tokens.maskId(), input, "only picked positions carry <mask>");
        } else {
          assertTrue(Arrays.binarySearch(special, label) < 0, "special token " + label + " was picked");
          assertTrue(label < tokens.vocabSize());
          labelled++;
          masked += input == tokens.maskId() ? 1 : 0;
        }
      }
      assertTrue(batch.labelCount() > 0, "every batch has something to predict");
    }
    assertTrue(masked > labelled / 2, "most picked tokens are <mask>");
  }
}
