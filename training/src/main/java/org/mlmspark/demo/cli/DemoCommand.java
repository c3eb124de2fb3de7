package org.mlmspark.demo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.UserError;
import org.mlmspark.inference.cli.FillMaskCommand;
import org.mlmspark.model.cli.InitModelCommand;
import org.mlmspark.preprocess.cli.PreprocessCommand;
import org.mlmspark.spark.Sessions;
import org.mlmspark.train.cli.TrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/demo}: the end-to-end chain in one JVM and one Spark session: bin/preprocess on the bundled sample,
 * bin/init-model, bin/train, bin/fill-mask, each run as the real command with the flags it prints, then the loss
 * it reached and the wall time. The four commands can be run one by one with the printed lines.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Preprocesses the bundled ELI5 sample, trains a small RoBERTa from scratch and fills in masks.")
public final class DemoCommand implements Callable<Integer> {
  /** Sentences in the style of the sample's answers (not copied from it), plus the guide's own example. */
  static final List<String> DEFAULT_TEXTS = List.of(
      "The human brain has about 86 billion <mask>.",
      "Hurricanes spin counterclockwise in the Northern <mask>.",
      "Carbon dioxide molecules absorb <mask> light.",
      "The Milky Way is a <mask> galaxy.");

  private static final ObjectMapper JSON = new ObjectMapper();

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
  String learningRate;

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
  public Integer call() throws IOException {
    long start = System.nanoTime();
    if (model != null) {
      List<String> ignored = Stream.of("--tokenizer", "--preset")
          .filter(spec.commandLine().getParseResult()::hasMatchedOption).toList();
      if (!ignored.isEmpty()) {
        throw new UserError("--model brings its own tokenizer and shape: drop " + String.join(" and ", ignored));
      }
    }
    if (Files.exists(output)) {
      try (Stream<Path> entries = Files.list(output)) {
        if (entries.findAny().isPresent()) {
          throw new UserError(output + " is not empty: remove it or pass another --output");
        }
      }
    }
    Path blocks = output.resolve("blocks");
    Path initial = output.resolve("model-init");
    Path trained = output.resolve("model");
    PrintStream out = System.out;
    boolean running = SparkSession.getDefaultSession().isDefined();
    SparkSession spark = Sessions.getOrCreate("mlm-spark demo");
    try {
      // A checkpoint's own tokenizer.json (in its directory, or on the hub under its id) made its ids.
      step(out, "preprocess", args("--input", input, "--output", blocks, "--tokenizer", model != null ? model : tokenizer),
          a -> Cli.run(new PreprocessCommand(), a));
      if (model == null) {
        step(out, "init-model", args("--preset", preset, "--tokenizer", tokenizer, "--output", initial),
            a -> Cli.run(new InitModelCommand(), a));
      }
      String lr = learningRate != null ? learningRate : model != null ? "2e-5" : "1e-3";
      step(out, "train", args("--data", blocks, "--model", model != null ? model : initial, "--output", trained,
          "--max-steps", maxSteps, "--learning-rate", lr, "--warmup-steps", warmupSteps, "--batch-size", batchSize,
          "--eval-every", evalEvery, "--checkpoint-every", 0, "--log-every", 20),
          a -> Cli.run(new TrainCommand(), a));
      List<Object> fillMask = new ArrayList<>(List.of("--model", trained, "--top-k", topK));
      fillMask.addAll(texts.isEmpty() ? DEFAULT_TEXTS : texts);
      step(out, "fill-mask", args(fillMask.toArray()), a -> Cli.run(new FillMaskCommand(), a));
    } finally {
      if (!running) {
        spark.stop();
      }
    }
    out.println();
    out.println(lossSummary(trained.resolve("metrics.jsonl")));
    out.printf("demo: %.0f s wall time, load average %.1f on %d cores; the model is in %s%n",
        (System.nanoTime() - start) / 1e9, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors(), trained);
    return 0;
  }

  /** Prints the command line a user would type, runs the command in this JVM, and stops the demo if it fails. */
  private static void step(PrintStream out, String command, String[] args, ToIntFunction<String[]> runner) {
    out.println();
    out.println("$ bin/" + command + " " + Stream.of(args).map(DemoCommand::shellWord).collect(Collectors.joining(" ")));
    out.flush();
    int exitCode = runner.applyAsInt(args);
    if (exitCode != 0) {
      throw new UserError("demo stopped: bin/" + command + " failed (exit " + exitCode + ")", exitCode, null);
    }
  }

  private static String shellWord(String word) {
    return word.matches("[\\w@%+=:,./-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  private static String[] args(Object... values) {
    String[] args = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      args[i] = String.valueOf(values[i]);
    }
    return args;
  }

  /** First and last training losses (mean of up to 10 steps each) and the last evaluation, from metrics.jsonl. */
  static String lossSummary(Path metrics) throws IOException {
    List<Double> losses = new ArrayList<>();
    JsonNode lastEval = null;
    for (String line : Files.readAllLines(metrics)) {
      JsonNode entry = JSON.readTree(line);
      if (entry.has("eval_loss")) {
        lastEval = entry;
      } else {
        losses.add(entry.get("loss").asDouble());
      }
    }
    int window = Math.min(10, losses.size());
    String summary = String.format("training loss: %.2f (mean of steps 1-%d) -> %.2f (mean of steps %d-%d)",
        mean(losses.subList(0, window)), window, mean(losses.subList(losses.size() - window, losses.size())),
        losses.size() - window + 1, losses.size());
    return lastEval == null ? summary : summary + String.format("; eval loss %.2f, perplexity %.1f at step %d",
        lastEval.get("eval_loss").asDouble(), lastEval.get("perplexity").asDouble(), lastEval.get("step").asLong());
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  public static void main(String[] args) {
    Cli.exit(new DemoCommand(), args);
  }
}
