package org.mlmspark.demo.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.UserError;
import org.mlmspark.demo.Demo;
import org.mlmspark.demo.DemoSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bin/demo}: the flags of {@link Demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Preprocesses the bundled ELI5 sample, trains a small RoBERTa from scratch and fills in masks.")
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--output", defaultValue = "out/demo", paramLabel = "DIR",
      description = "new or empty directory for blocks/, model-init/ (without --model), model/ (default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--input", defaultValue = "data/eli5-sample", paramLabel = "PATH",
      description = "ELI5 rows to train on (default: ${DEFAULT-VALUE})")
  String input;

  @Option(names = "--tokenizer", defaultValue = "distilroberta-base", paramLabel = "ID|DIR",
      description = "hub id or directory; offline, distilroberta-base is the bundled copy (default: ${DEFAULT-VALUE})")
  String tokenizer;

  @Option(names = "--preset", defaultValue = "small", description = "model shape (default: ${DEFAULT-VALUE})")
  String preset;

  @Option(names = "--model", paramLabel = "ID|DIR",
      description = "fine-tune this checkpoint (hub id such as distilroberta-base, or a model directory) instead of a "
          + "fresh --preset model, as the guide does; its own tokenizer then preprocesses the sample")
  String model;

  @Option(names = "--max-steps", defaultValue = "300", description = "optimizer steps (default: ${DEFAULT-VALUE})")
  long maxSteps;

  @Option(names = "--learning-rate", paramLabel = "LR",
      description = "peak lr (default: 1e-3 from scratch, the guide's 2e-5 with --model)")
  Double learningRate;

  @Option(names = "--warmup-steps", defaultValue = "30", description = "default: ${DEFAULT-VALUE}")
  long warmupSteps;

  @Option(names = "--batch-size", defaultValue = "8", description = "default: ${DEFAULT-VALUE}")
  int batchSize;

  @Option(names = "--eval-every", defaultValue = "100", paramLabel = "N",
      description = "evaluate on the test split every N steps (default: ${DEFAULT-VALUE})")
  long evalEvery;

  @Option(names = "--top-k", defaultValue = "5", description = "predictions per mask (default: ${DEFAULT-VALUE})")
  int topK;

  @Parameters(arity = "0..*", paramLabel = "TEXT", description = "texts with <mask> for the trained model"
      + " (default: a few sentences in the style of the sample)")
  List<String> texts = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (model != null) {
      List<String> ignored = Stream.of("--tokenizer", "--preset")
          .filter(spec.commandLine().getParseResult()::hasMatchedOption).toList();
      if (!ignored.isEmpty()) {
        throw new UserError("--model brings its own tokenizer and shape: drop " + String.join(" and ", ignored));
      }
    }
    Demo.run(new DemoSettings(input, output, tokenizer, preset, model, maxSteps, learningRate, warmupSteps,
        batchSize, evalEvery, topK, texts));
    return Cli.OK;
  }

  public static void main(String[] args) {
    Cli.exit(new DemoCommand(), args);
  }
}
