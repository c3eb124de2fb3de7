package org.mlmspark.pipeline;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelFamilies;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.model.family.ModelFamily;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.tokenizer.SpecialTokens;
import org.mlmspark.train.DeviceChoice;
import org.mlmspark.train.Evaluator;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.data.MlmMasking;
import org.mlmspark.train.io.PreprocessedData;
import org.mlmspark.train.job.Training;

/**
 * The evaluate step's measurement: a model's perplexity on the test split, computed as {@code bin/train} computes
 * it at the end of training (HF Trainer's evaluate: the blocks in order, the run's batch size, the masks of the
 * fixed evaluation pseudo-epoch). Two models measured with the same settings see the same masked blocks, so their
 * perplexities compare.
 */
final class ModelEvaluation {
  private ModelEvaluation() {}

  static double perplexity(SparkSession spark, ModelDirectory model, String data, TrainingSettings settings,
      String device) throws IOException {
    ModelConfig config = Checkpoints.readConfig(model);
    ModelFamily family = ModelFamilies.of(config);
    SpecialTokens tokens = Training.specialTokens(model, config);
    PreprocessedData dataset = PreprocessedData.load(spark, data,
        new PreprocessedData.Limits(config.vocabSize(), family.maxSequenceLength(config)));
    if (dataset.test() == null) {
      throw new IllegalStateException(data + " has no test split to evaluate on");
    }
    try (NDManager manager = NDManager.newBaseManager(DeviceChoice.resolve(device))) {
      MaskedLmModel network = Checkpoints.load(model, manager).model();
      MlmMasking masking = new MlmMasking(tokens, settings.mlmProbability(), settings.seed());
      return Math.exp(new Evaluator(network, manager, dataset.test(), masking, settings.batchSize()).evaluate().loss());
    }
  }
}
