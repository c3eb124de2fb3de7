package org.mlmspark.benchmarks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.HadoopConf;
import org.mlmspark.inference.FillMaskBatch;
import org.mlmspark.inference.FillMaskJob;
import org.mlmspark.inference.FillMaskModel;
import org.mlmspark.inference.FillMasking;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.spark.Sessions;
import org.mlmspark.support.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/benchmark-fill-mask}: texts/s of the batch job ({@code bin/fill-mask --input}) at one text per
 * forward pass and at {@code --batch-size}, against the single-text loop of {@code bin/fill-mask TEXT...} (one
 * thread, no Spark) in the same run. Texts: sentences of the bundled ELI5 sample, each with one word masked.
 */
@Command(name = "benchmark-fill-mask", mixinStandardHelpOptions = true,
    description = "Times batch fill-mask (Spark job) against the single-text loop on the same texts.")
public final class FillMaskBenchmark implements Callable<Integer> {
  private static final ObjectMapper JSON = Json.mapper();

  @Option(names = "--model", required = true, paramLabel = "ID|DIR") String model;

  @Option(names = "--texts", defaultValue = "2000", description = "texts per run (default: ${DEFAULT-VALUE})")
  int texts;

  @Option(names = "--batch-size", defaultValue = "32", description = "default: ${DEFAULT-VALUE}") int batchSize;

  @Option(names = "--sample", defaultValue = "data/eli5-sample/askscience_sample.jsonl",
      description = "ELI5 JSON lines the sentences come from (default: ${DEFAULT-VALUE})")
  Path sample;

  @Override
  public Integer call() throws Exception {
    List<String> maskedTexts = maskedSentences(sample, texts);
    Path work = Files.createTempDirectory("benchmark-fill-mask");
    try {
      Path input = Files.createDirectories(work.resolve("input"));
      int files = Math.max(1, Runtime.getRuntime().availableProcessors());
      for (int f = 0; f < files; f++) {
        List<String> lines = new ArrayList<>();
        for (int i = f; i < maskedTexts.size(); i += files) {
          lines.add(JSON.createObjectNode().put("text", maskedTexts.get(i)).toString());
        }
        Files.write(input.resolve("part-" + f + ".jsonl"), lines);
      }
      String master = Sessions.getOrCreate("mlm-spark benchmark-fill-mask").sparkContext().master();
      System.out.printf("model %s, %d texts, Spark %s, torch threads %s, load average %.2f%n", model,
          maskedTexts.size(), master, System.getProperty("ai.djl.pytorch.num_threads", "default"),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

      double loop = singleTextLoop(maskedTexts);
      runJob(input, work.resolve("warm-up"), batchSize); // JIT, Spark code generation, model cache
      double one = runJob(input, work.resolve("batch-1"), 1);
      double batched = runJob(input, work.resolve("batch-n"), batchSize);

      System.out.printf("%-52s %9s %9s %8s%n", "", "seconds", "texts/s", "vs loop");
      row("single-text loop (bin/fill-mask TEXT..., 1 thread)", loop, maskedTexts.size(), loop);
      row("batch job, --batch-size 1", one, maskedTexts.size(), loop);
      row("batch job, --batch-size " + batchSize, batched, maskedTexts.size(), loop);
    } finally {
      try (Stream<Path> all = Files.walk(work)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  private double singleTextLoop(List<String> maskedTexts) throws IOException {
    try (FillMaskModel loaded = FillMaskModel.open(ModelDirectory.resolve(model, HadoopConf.fromSystemProperties()))) {
      loaded.fillMask().predict(maskedTexts.get(0), 5); // warm-up
      long start = System.nanoTime();
      for (String text : maskedTexts) {
        loaded.fillMask().predict(text, 5);
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private double runJob(Path input, Path output, int batch) throws IOException {
    long start = System.nanoTime();
    FillMasking.runBatch(new FillMaskBatch(List.of(input.toString()), output.toString(), model, 5, "text", batch,
        FillMaskJob.OutputFormat.PARQUET));
    return (System.nanoTime() - start) / 1e9;
  }

  /** Sentences of the sample's answers, cycled to {@code count}, each with its middle word replaced by the mask. */
  static List<String> maskedSentences(Path sample, int count) throws IOException {
    List<String> sentences = new ArrayList<>();
    for (String line : Files.readAllLines(sample)) {
      for (JsonNode answer : JSON.readTree(line).path("answers").path("text")) {
        for (String sentence : answer.asText().split("(?<=[.!?])\\s+")) {
          String[] words = sentence.split(" ");
          if (words.length >= 4) {
            words[words.length / 2] = "<mask>";
            sentences.add(String.join(" ", words));
          }
        }
      }
    }
    if (sentences.isEmpty()) {
      throw new IllegalArgumentException("no sentences in " + sample);
    }
    List<String> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      result.add(sentences.get(i % sentences.size()));
    }
    return result;
  }

  private static void row(String label, double seconds, int count, double baseline) {
    System.out.printf("%-52s %9.2f %9.1f %7.2fx%n", label, seconds, count / seconds, baseline / seconds);
  }

  public static void main(String[] args) {
    Cli.exit(new FillMaskBenchmark(), args);
  }
}
