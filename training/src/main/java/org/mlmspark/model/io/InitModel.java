package org.mlmspark.model.io;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mlmspark.cli.HadoopConf;
import org.mlmspark.cli.UserError;
import org.mlmspark.hub.HubClient;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelFamilies;
import org.mlmspark.model.ModelPresets;
import org.mlmspark.model.WeightInit;
import org.mlmspark.model.config.InvalidModelConfigException;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.storage.OutputLock;
import org.mlmspark.tokenizer.SpecialTokens;
import org.mlmspark.tokenizer.TokenizerDirectory;
import org.mlmspark.tokenizer.TokenizerResolver;

/**
 * The init-model step: a freshly initialised masked LM in HF layout (config.json, model.safetensors, the
 * tokenizer's files), for training from scratch and for tests. Reports what it resolved and wrote on stderr.
 */
public final class InitModel {
  private InitModel() {}

  /** What a run wrote. */
  public record Result(Path output, ModelConfig config, long parameters) {}

  public static Result run(InitModelSettings settings) throws IOException {
    InitModelSettings.Shape shape = settings.shape();
    ModelConfig config = shape.preset() != null
        ? ModelPresets.get(shape.preset())
        : ModelFamilies.readConfig(Files.readAllBytes(shape.config()));
    ModelFamilies.of(config);
    Configuration conf = HadoopConf.fromSystemProperties();
    Path output = new Path(settings.output());
    checkReplaceable(output, conf);
    TokenizerDirectory resolved =
        TokenizerResolver.resolveDirectory(settings.tokenizer(), conf, HubClient.fromEnvironment());
    System.err.println(resolved.describe());
    ModelDirectory tokenizer = ModelDirectory.of(resolved.directory(), conf);
    config = fitToTokenizer(config, shape.preset() != null, tokenizer.specialTokens());
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel model = MaskedLmModel.create(config, manager);
      WeightInit.apply(model, settings.seed());
      try (OutputLock lock = OutputLock.forOutput(output, conf)) {
        Checkpoints.save(model, tokenizer, output, conf);
      }
      long count = model.namedParameters().stream().mapToLong(p -> p.parameter().getArray().size()).sum();
      System.err.printf("wrote %s: %s, %,d parameters, vocabulary %,d, pad id %d, seed %d%n", settings.output(),
          config.modelType(), count, config.vocabSize(), config.padTokenId(), settings.seed());
      return new Result(output, config, count);
    }
  }

  /**
   * A preset is sized for the tokenizer, as transformers users do with {@code vocab_size=len(tokenizer)} and the
   * tokenizer's special ids. A config file is the user's explicit choice: it is only checked, since a vocabulary
   * smaller than the tokenizer's or another pad id would misread the data.
   */
  static ModelConfig fitToTokenizer(ModelConfig config, boolean preset, SpecialTokens tokens) {
    if (preset) {
      return config.withTokenizerIds(tokens.vocabSize(), tokens.roleId("pad_token"), tokens.roleId("bos_token"),
          tokens.roleId("eos_token"));
    }
    if (config.vocabSize() < tokens.vocabSize()) {
      throw new InvalidModelConfigException("config.json has vocab_size " + config.vocabSize()
          + " but the tokenizer has " + tokens.vocabSize() + " ids");
    }
    tokens.roleId("pad_token").ifPresent(pad -> {
      if (pad != config.padTokenId()) {
        throw new InvalidModelConfigException("config.json has pad_token_id " + config.padTokenId()
            + " but the tokenizer's pad token is id " + pad);
      }
    });
    return config;
  }

  /**
   * An existing output is replaced only when it holds nothing but what this step writes (a model directory it
   * made before); anything else, e.g. a downloaded checkpoint's README or other weights, is refused.
   */
  static void checkReplaceable(Path output, Configuration conf) throws IOException {
    FileSystem fs = output.getFileSystem(conf);
    if (!fs.exists(output)) {
      return;
    }
    if (!fs.getFileStatus(output).isDirectory()) {
      throw new UserError("--output " + output + " is a file, not a directory");
    }
    Set<String> ours = new HashSet<>(Checkpoints.TOKENIZER_FILES);
    ours.add(Checkpoints.CONFIG);
    ours.add(Checkpoints.WEIGHTS);
    List<String> foreign = Arrays.stream(fs.listStatus(output)).map(f -> f.getPath().getName())
        .filter(name -> !ours.contains(name)).sorted().toList();
    if (!foreign.isEmpty()) {
      throw new UserError("refusing to replace --output " + output + ": it holds " + String.join(", ", foreign)
          + ", which bin/init-model did not write");
    }
  }
}
