package org.mlmspark.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.cli.UserError;
import org.mlmspark.inference.FillMaskRun;
import org.mlmspark.inference.FillMasking;
import org.mlmspark.model.io.InitModel;
import org.mlmspark.model.io.InitModelSettings;
import org.mlmspark.preprocess.PreprocessSettings;
import org.mlmspark.preprocess.Preprocessing;
import org.mlmspark.spark.Sessions;
import org.mlmspark.support.Json;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.job.TrainRun;
import org.mlmspark.train.job.Training;

/**
 * The end-to-end chain in one JVM and one Spark session: preprocess the sample, init-model (or a given
 * checkpoint), train, fill-mask, each with its command's defaults unless the settings say otherwise and opened by
 * a line naming what it reads and writes; then the loss reached and the wall time.
 */
public final class Demo {
  /** Sentences in the style of the sample's answers (not copied from it), plus the guide's own example. */
  public static final List<String> DEFAULT_TEXTS = List.of(
      "The human brain has about 86 billion <mask>.",
      "Hurricanes spin counterclockwise in the Northern <mask>.",
      "Carbon dioxide molecules absorb <mask> light.",
      "The Milky Way is a <mask> galaxy.");

  private static final ObjectMapper JSON = Json.mapper();

  private Demo() {}

  /** Runs the chain, printing to stdout; returns the trained model's directory. */
  public static Path run(DemoSettings settings) throws Exception {
    long start = System.nanoTime();
    Path output = settings.output();
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
    String model = settings.model();
    // A checkpoint's own tokenizer.json (in its directory, or on the hub under its id) made its ids.
    String dataTokenizer = model != null ? model : settings.tokenizer();
    String startFrom = model != null ? model : initial.toString();
    PrintStream out = System.out;
    boolean running = SparkSession.getDefaultSession().isDefined();
    SparkSession spark = Sessions.getOrCreate("mlm-spark demo");
    try {
      header(out, "preprocess: " + settings.input() + " -> " + blocks + " (tokenizer " + dataTokenizer + ")");
      Preprocessing.run(spark, PreprocessSettings.guide(List.of(settings.input()), blocks.toString(), dataTokenizer));
      if (model == null) {
        header(out, "init-model: preset " + settings.preset() + ", tokenizer " + settings.tokenizer() + " -> "
            + initial);
        InitModel.run(new InitModelSettings(InitModelSettings.Shape.preset(settings.preset()), initial.toString(),
            42, settings.tokenizer()));
      }
      header(out, "train: " + startFrom + " on " + blocks + " -> " + trained + " (" + settings.maxSteps()
          + " steps, batch " + settings.batchSize() + ", learning rate " + number(settings.learningRate()) + ", "
          + settings.warmupSteps() + " warmup steps, eval every " + settings.evalEvery() + ")");
      Training.run(TrainRun.of(blocks.toString(), startFrom, trained.toString(), recipe(settings)));
      header(out, "fill-mask: " + trained + ", top " + settings.topK());
      for (FillMasking.TextPredictions predictions :
          FillMasking.predict(new FillMaskRun(trained.toString(), settings.topK(), null), settings.texts())) {
        out.println(predictions.json());
      }
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
    return trained;
  }

  /** The guide's recipe with the demo's run length, learning rate, warmup, batch and evaluation; no checkpoints. */
  private static TrainingSettings recipe(DemoSettings settings) {
    TrainingSettings guide = TrainingSettings.guide();
    return new TrainingSettings(guide.epochs(), settings.learningRate(), guide.weightDecay(), settings.batchSize(),
        guide.mlmProbability(), guide.seed(), settings.warmupSteps(), guide.warmupRatio(), guide.maxGradNorm(),
        guide.gradientAccumulationSteps(), settings.maxSteps(), settings.evalEvery(), 0, guide.wholeWordMask());
  }

  /** The line that opens a step's output. */
  private static void header(PrintStream out, String step) {
    out.println();
    out.println("== " + step);
    out.flush();
  }

  /** A learning rate as people write it: 2e-5, 0.001. */
  static String number(double value) {
    return Double.toString(value).replace(".0E", "E").replace('E', 'e');
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
}
