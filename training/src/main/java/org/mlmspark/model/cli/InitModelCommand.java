package org.mlmspark.model.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelConfig;
import org.mlmspark.model.ModelFamily;
import org.mlmspark.model.ModelPresets;
import org.mlmspark.model.WeightInit;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
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

  @Option(names = "--tokenizer", paramLabel = "DIR",
      description = "copy the tokenizer files of this directory next to the weights")
  String tokenizer;

  @Override
  public Integer call() throws Exception {
    ModelConfig config = source.preset != null
        ? ModelPresets.get(source.preset)
        : ModelConfig.parse(Files.readAllBytes(source.config));
    ModelFamily.of(config);
    Configuration conf = HadoopConf.fromSystemProperties();
    ModelDirectory tokenizerSource = tokenizer == null ? null : ModelDirectory.resolve(tokenizer, conf);
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel model = MaskedLmModel.create(config, manager);
      WeightInit.apply(model, seed);
      Checkpoints.save(model, tokenizerSource, new Path(output), conf);
      long count = model.namedParameters().stream().mapToLong(p -> p.parameter().getArray().size()).sum();
      System.err.printf("wrote %s: %s, %,d parameters, seed %d%n", output, config.modelType(), count, seed);
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(Commands.run(new InitModelCommand(), args));
  }
}
