package org.mlmspark.model.cli;

import ai.djl.ndarray.NDManager;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.HadoopConf;
import org.mlmspark.cli.UserError;
import org.mlmspark.hub.HubClient;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelFamilies;
import org.mlmspark.model.ModelPresets;
import org.mlmspark.model.WeightInit;
import org.mlmspark.model.config.InvalidModelConfigException;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.storage.OutputLock;
import org.mlmspark.tokenizer.SpecialTokens;
import org.mlmspark.tokenizer.TokenizerDirectory;
import org.mlmspark.tokenizer.TokenizerResolver;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/init-model}: a freshly initialised HF checkpoint, for training from scratch and for tests. */
@Command(name = "init-model", mixinStandardHelpOptions = true,
    description = "Writes a randomly initialised masked-LM checkpoint (HF layout: config.json, model.safetensors).")
public final class InitModelCommand implements Callable<Integer> {

  static final class Source {
    @Option(names = "--config", paramLabel = "FILE", description = "an HF config.json") java.nio.file.Path config;

    @Option(names = "--preset", paramLabel = "NAME", description = "distilroberta-base, roberta-base, small, tiny")
    String preset;
  }

  @ArgGroup(exclusive = true, multiplicity = "1") Source source;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "local or s3a:// directory")
  String output;

  @Option(names = "--seed", defaultValue = "42", description = "initialisation seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--tokenizer", paramLabel = "ID|DIR", defaultValue = "distilroberta-base",
      description = "the tokenizer the model will read: a directory with tokenizer.json and tokenizer_config.json,"
          + " or a hub id (default: ${DEFAULT-VALUE}; offline, its bundled copy). Its files are saved with the"
          + " weights; a preset takes vocab_size and the pad/bos/eos ids from it.")
  String tokenizer;

  @Override
  public Integer call() throws Exception {
    ModelConfig config = source.preset != null
        ? ModelPresets.get(source.preset)
        : ModelFamilies.readConfig(Files.readAllBytes(source.config));
    ModelFamilies.of(config);
    Configuration conf = HadoopConf.fromSystemProperties();
    checkReplaceable(new Path(output), conf);
    TokenizerDirectory resolved = TokenizerResolver.resolveDirectory(tokenizer, conf, HubClient.fromEnvironment());
    System.err.println(resolved.describe());
    ModelDirectory tokenizerSource = ModelDirectory.of(resolved.directory(), conf);
    config = fitToTokenizer(config, source.preset != null, specialTokens(tokenizerSource));
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel model = MaskedLmModel.create(config, manager);
      WeightInit.apply(model, seed);
      try (OutputLock lock = OutputLock.forOutput(new Path(output), conf)) {
        Checkpoints.save(model, tokenizerSource, new Path(output), conf);
      }
      long count = model.namedParameters().stream().mapToLong(p -> p.parameter().getArray().size()).sum();
      System.err.printf("wrote %s: %s, %,d parameters, vocabulary %,d, pad id %d, seed %d%n", output,
          config.modelType(), count, config.vocabSize(), config.padTokenId(), seed);
    }
    return 0;
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
   * An existing --output is replaced only when it holds nothing but what this command writes (a model directory
   * it made before); anything else, e.g. a downloaded checkpoint's README or other weights, is refused.
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

  private static SpecialTokens specialTokens(ModelDirectory dir) throws IOException {
    if (!dir.has("tokenizer.json") || !dir.has("tokenizer_config.json")) {
      throw new FileNotFoundException(dir + " needs tokenizer.json and tokenizer_config.json (what"
          + " tokenizer.save_pretrained(dir) writes)");
    }
    return SpecialTokens.parse(dir.read("tokenizer_config.json"), dir.read("tokenizer.json"));
  }

  public static void main(String[] args) {
    Cli.exit(new InitModelCommand(), args);
  }
}
