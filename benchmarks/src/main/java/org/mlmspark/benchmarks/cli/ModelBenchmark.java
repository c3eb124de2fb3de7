package org.mlmspark.benchmarks.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.mlmspark.benchmarks.Median;
import org.mlmspark.cli.Cli;
import org.mlmspark.model.MaskedLmLoss;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelPresets;
import org.mlmspark.model.WeightInit;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.support.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/benchmark-model}: forward and forward+backward time of one batch, and one-sentence fill-mask latency,
 * for this project's DJL encoder and, in the same run when a Python with torch and transformers is given, for HF's.
 */
@Command(name = "benchmark-model", mixinStandardHelpOptions = true,
    description = "Times the DJL masked-LM encoder against HF transformers on the same shapes.")
public final class ModelBenchmark extends ModelShapeOptions implements Callable<Integer> {
  private static final ObjectMapper JSON = Json.mapper();

  @Option(names = "--iterations", defaultValue = "3", description = "timed runs after one warm-up; medians shown")
  int iterations;

  @Option(names = "--mlm-probability", defaultValue = "0.15") double mlmProbability;

  @Override
  public Integer call() throws Exception {
    ModelConfig config = ModelPresets.get(preset);
    int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    Timings djl = measureDjl(config);
    Timings hf = python == null ? null : measureHf(config, threads);
    System.out.printf("%s (%d layers, hidden %d), batch %d x %d, %d threads (OMP_WAIT_POLICY %s), MLM fraction %.2f%n",
        preset, config.numHiddenLayers(), config.hiddenSize(), batch, seq, threads,
        System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset: spin"), mlmProbability);
    // Other processes on the cores distort both columns (OpenMP threads spin when oversubscribed): say so.
    System.out.printf("system load average at the end: %.1f on %d cores%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
    System.out.printf("%-40s %12s %12s %9s%n", "", "DJL (this)", "HF PyTorch", "speed-up");
    row("forward, all logits (eval)", djl.forward, hf == null ? null : hf.forward);
    row("forward+backward, MLM loss (train)", djl.forwardBackward, hf == null ? null : hf.forwardBackward);
    row("  same, projecting every position", djl.forwardBackwardAllLogits, null);
    row("fill-mask forward, 1 sentence (12 tok)", djl.fillMask, hf == null ? null : hf.fillMask);
    if (hf == null) {
      System.out.println("(HF baseline skipped: pass --python or set MLM_HF_PYTHON)");
    }
    return 0;
  }

  private record Timings(double forward, double forwardBackward, double forwardBackwardAllLogits, double fillMask) {}

  private Timings measureDjl(ModelConfig config) {
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel model = MaskedLmModel.create(config, manager);
      WeightInit.apply(model, 0);
      SplittableRandom random = new SplittableRandom(0);
      long[] ids = new long[batch * seq];
      long[] labels = new long[batch * seq];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = random.nextInt(3, config.vocabSize());
        labels[i] = random.nextDouble() < mlmProbability ? ids[i] : MaskedLmLoss.IGNORE_INDEX;
      }
      Shape shape = new Shape(batch, seq);
      double forward = medianSeconds(iterations, () -> {
        try (NDManager scope = manager.newSubManager()) {
          model.logits(scope.create(ids, shape), null, false); // eager on CPU: done when it returns
        }
      });
      double train = medianSeconds(iterations, () -> {
        try (NDManager scope = manager.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          collector.backward(model.loss(scope.create(ids, shape), null, scope.create(labels, shape), true));
        }
      });
      double trainAll = medianSeconds(iterations, () -> {
        try (NDManager scope = manager.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray flat = scope.create(labels);
          NDArray logits = model.logits(scope.create(ids, shape), null, true).reshape(-1, config.vocabSize());
          // Cross-entropy over all positions, weighted to the labelled ones: HF's full-projection cost.
          NDArray valid = flat.neq(MaskedLmLoss.IGNORE_INDEX);
          NDArray targets = flat.mul(valid.toType(DataType.INT64, false));
          NDArray perToken = logits.logSoftmax(-1).gather(targets.reshape(-1, 1), 1).reshape(-1).neg();
          NDArray weights = valid.toType(DataType.FLOAT32, false);
          collector.backward(perToken.mul(weights).sum().div(weights.sum()));
        }
      });
      long[] sentence = Arrays.copyOf(ids, 12);
      double fillMask = medianSeconds(20, () -> {
        try (NDManager scope = manager.newSubManager()) {
          NDArray hidden = model.hiddenStates(scope.create(sentence, new Shape(1, 12)), null, false);
          model.predict(hidden.get(0, 6), false).softmax(-1).topK(5, -1).get(1).toLongArray();
        }
      });
      return new Timings(forward, train, trainAll, fillMask);
    }
  }

  private Timings measureHf(ModelConfig config, int threads) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("bench-hf");
    try {
      Path configFile = dir.resolve("config.json");
      Files.write(configFile, config.toJsonBytes());
      Path script = dir.resolve("hf_model_bench.py");
      try (InputStream in = getClass().getResourceAsStream("/bench/hf_model_bench.py")) {
        Files.copy(in, script);
      }
      Process process = new ProcessBuilder(python, script.toString(), configFile.toString(), String.valueOf(batch),
          String.valueOf(seq), String.valueOf(iterations), String.valueOf(threads), String.valueOf(mlmProbability))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IOException("HF baseline failed (" + python + "): " + out);
      }
      JsonNode json = JSON.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
      return new Timings(json.get("forward").asDouble(), json.get("forward_backward").asDouble(), Double.NaN,
          json.get("fill_mask").asDouble());
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  private static void row(String label, double djl, Double hf) {
    String unit = djl < 1 ? "ms" : "s";
    double scale = djl < 1 ? 1000 : 1;
    System.out.printf("%-40s %9.2f %-2s %9s %9s%n", label, djl * scale, unit,
        hf == null ? "" : String.format("%.2f %s", hf * scale, unit), hf == null ? "" : String.format("%.2fx", hf / djl));
  }

  /** The median time of {@code runs} runs of {@code body}, in seconds, after one warm-up run. */
  private static double medianSeconds(int runs, Runnable body) {
    body.run(); // warm-up
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      body.run();
      times.add((System.nanoTime() - start) / 1e9);
    }
    return Median.of(times);
  }

  public static void main(String[] args) {
    Cli.exit(new ModelBenchmark(), args);
  }
}
