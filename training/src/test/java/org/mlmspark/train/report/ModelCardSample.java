package org.mlmspark.train.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mlmspark.train.TrainingHistory;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.optim.LinearWarmupSchedule;

/**
 * A model card from fixed inputs: the guide's run (distilroberta-base on 5,000 ELI5-Category questions, 3 epochs)
 * on 2 data-parallel workers. {@code tools/hub/parse_model_card.py} writes it with {@link #main} and records what
 * {@code huggingface_hub.ModelCard} parses from it; {@code ModelCardTest} checks the card still renders the same.
 */
public final class ModelCardSample {
  static final String MODEL_NAME = "my_awesome_eli5_mlm_model";
  static final String BASE_MODEL = "distilbert/distilroberta-base";
  static final double[] EVAL_LOSSES = {2.0582, 2.0246, 1.9993};

  private ModelCardSample() {}

  static ModelCard.Facts facts() {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("mlm-spark", "0.1.0");
    versions.put("DJL", "0.36.0");
    versions.put("PyTorch (libtorch)", "2.7.1");
    versions.put("Spark", "4.1.3");
    ModelCard.Data data = new ModelCard.Data("eli5_category", 5000, 3, "askscience", 5000L, 0.2, 42, 128,
        BASE_MODEL, new ModelCard.Split(3997, 1162, 148_736), new ModelCard.Split(1000, 283, 36_224));
    return new ModelCard.Facts(MODEL_NAME, BASE_MODEL, data, 2, versions);
  }

  static TrainingSettings settings() {
    return new TrainingSettings(3, 2e-5, 0.01, 4, 0.15, 42, 0, 0.1, 1.0, 1, 0, 0, 500, false);
  }

  /** 146 steps per epoch (1,162 blocks, 2 workers x batch 4), one loss per step, one evaluation per epoch. */
  static TrainingHistory history() {
    TrainingHistory history = new TrainingHistory();
    int perEpoch = 146;
    for (int step = 1; step <= 3 * perEpoch; step++) {
      history.add(new TrainingHistory.StepLog(step, (double) step / perEpoch, 2.4 - step * 0.0005, 3.1,
          2e-5 * (1 - (double) step / (3 * perEpoch)), 1800));
      if (step % perEpoch == 0) {
        history.add(new TrainingHistory.EvalLog(step, step / perEpoch, EVAL_LOSSES[step / perEpoch - 1], 0.5, 41.5));
      }
    }
    return history;
  }

  static LinearWarmupSchedule schedule() {
    return settings().schedule(settings().plan(2), 1162);
  }

  static String render() {
    return ModelCard.render(facts(), settings(), schedule(), history());
  }

  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args[0]), render(), StandardCharsets.UTF_8);
  }
}
