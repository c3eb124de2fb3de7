package org.mlmspark.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.mlmspark.model.bert.BertFamily;
import org.mlmspark.model.config.InvalidModelConfigException;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.model.distilbert.DistilBertFamily;
import org.mlmspark.model.family.ModelFamily;
import org.mlmspark.model.roberta.RobertaFamily;

/**
 * The model families this project builds, by {@code model_type}: what transformers' auto classes
 * ({@code AutoConfig}, {@code AutoModelForMaskedLM}) map for these encoders.
 */
public final class ModelFamilies {

  private static final List<ModelFamily> FAMILIES =
      List.of(new RobertaFamily(), new BertFamily(), new DistilBertFamily());

  private ModelFamilies() {}

  /** The family for a config's {@code model_type}, after checking it asks for nothing this project lacks. */
  public static ModelFamily of(ModelConfig config) {
    ModelFamily family = forModelType(config.modelType());
    family.validate(config);
    return family;
  }

  /** The family that reads {@code modelType}; an unsupported one is refused naming the supported ones. */
  public static ModelFamily forModelType(String modelType) {
    for (ModelFamily family : FAMILIES) {
      if (family.modelTypes().contains(modelType)) {
        return family;
      }
    }
    throw new InvalidModelConfigException("unsupported model_type \"" + modelType + "\"; supported: "
        + String.join(", ", FAMILIES.stream().flatMap(f -> f.modelTypes().stream()).toList()));
  }

  /**
   * A {@code config.json} read as {@code AutoConfig} reads it: an unsupported {@code model_type} is the first thing
   * to say, before any field it may lack.
   */
  public static ModelConfig readConfig(byte[] configJson) {
    ObjectNode json = ModelConfig.readJson(configJson, "config.json");
    forModelType(ModelConfig.modelType(json));
    return ModelConfig.fromJson(json);
  }

  /** Like {@link #readConfig(byte[])}, naming {@code source} (the file's full path) in every refusal. */
  public static ModelConfig readConfig(byte[] configJson, String source) {
    ObjectNode json = ModelConfig.readJson(configJson, source);
    try {
      forModelType(ModelConfig.modelType(json));
      return ModelConfig.fromJson(json);
    } catch (InvalidModelConfigException e) {
      throw e.naming(source);
    }
  }
}
