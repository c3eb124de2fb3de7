package org.mlmspark.model.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.mlmspark.cli.Cli;
import org.mlmspark.model.io.InitModel;
import org.mlmspark.model.io.InitModelSettings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/init-model}: the flags of {@link InitModel}. */
@Command(name = "init-model", mixinStandardHelpOptions = true,
    description = "Writes a randomly initialised masked-LM checkpoint (HF layout: config.json, model.safetensors).")
public final class InitModelCommand implements Callable<Integer>, Cli.Interruptible {

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
  public Integer call() throws IOException {
    InitModelSettings.Shape shape = source.preset != null
        ? InitModelSettings.Shape.preset(source.preset) : InitModelSettings.Shape.config(source.config);
    InitModel.run(new InitModelSettings(shape, output, seed, tokenizer));
    return Cli.OK;
  }

  @Override
  public String interruptedLine() {
    return output == null ? "interrupted" : "interrupted: " + output + " left as it was";
  }

  public static void main(String[] args) {
    Cli.exit(new InitModelCommand(), args);
  }
}
