package org.mlmspark.train.io;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.mlmspark.support.Json;
import org.mlmspark.train.data.MaskedBatch;
import org.mlmspark.train.optim.AdamW;
import org.mlmspark.train.optim.LinearWarmupSchedule;

/**
 * A recording of HF Trainer's steps ({@code fixtures/hf/tiny-roberta/train.json}): its optimizer settings,
 * pre-masked batches, and the per-step loss, grad norm and lr HF logged while training {@code model/} on them
 * into {@code trained/}. The tests replay it; bin/gpu-check replays it on two devices.
 */
public record HfTrainRecording(Optimizer optimizer, List<Batch> batches, List<LogEntry> log) {
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Optimizer(
      String name,
      double lr,
      double[] betas,
      double eps,
      @JsonProperty("weight_decay") double weightDecay,
      String schedule,
      @JsonProperty("warmup_steps") long warmupSteps,
      @JsonProperty("total_steps") long totalSteps,
      @JsonProperty("max_grad_norm") double maxGradNorm) {

    public AdamW.Hyperparameters adamW() {
      return new AdamW.Hyperparameters(betas[0], betas[1], eps, weightDecay);
    }

    public LinearWarmupSchedule linearSchedule() {
      if (!"linear".equals(schedule)) {
        throw new IllegalStateException("recording uses schedule " + schedule);
      }
      return new LinearWarmupSchedule(lr, warmupSteps, totalSteps);
    }
  }

  public record Batch(
      @JsonProperty("input_ids") int[][] inputIds,
      @JsonProperty("attention_mask") int[][] attentionMask,
      int[][] labels) {

    public MaskedBatch toMaskedBatch() {
      int rows = inputIds.length;
      int length = inputIds[0].length;
      return new MaskedBatch(rows, length, flatten(inputIds, length), flatten(attentionMask, length),
          flatten(labels, length));
    }

    private static int[] flatten(int[][] rows, int length) {
      int[] flat = new int[rows.length * length];
      for (int row = 0; row < rows.length; row++) {
        if (rows[row].length != length) {
          throw new IllegalStateException("ragged batch in the recording");
        }
        System.arraycopy(rows[row], 0, flat, row * length, length);
      }
      return flat;
    }
  }

  /** One optimizer step as HF logged it: step counts from 1; lr is the rate that step's update used. */
  public record LogEntry(int step, double loss, @JsonProperty("grad_norm") double gradNorm, double lr) {}

  /** Reads {@code train.json} of a recording directory. */
  public static HfTrainRecording read(Path directory) throws IOException {
    return Json.mapper().readValue(directory.resolve("train.json").toFile(), HfTrainRecording.class);
  }
}
