package org.mlmspark.benchmarks.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.mlmspark.benchmarks.Median;
import org.mlmspark.benchmarks.TorchProfile;
import org.mlmspark.cli.Cli;
import org.mlmspark.hub.HubClient;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelPresets;
import org.mlmspark.model.WeightInit;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.support.Json;
import org.mlmspark.tokenizer.SpecialTokens;
import org.mlmspark.tokenizer.TokenizerResolver;
import org.mlmspark.train.GradientReducer;
import org.mlmspark.train.TrainStep;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.data.MaskedBatch;
import org.mlmspark.train.data.MlmMasking;
import org.mlmspark.train.optim.AdamW;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/benchmark-train}: training tokens/s at distilroberta-base size on this machine, for this project's
 * step (DJL) and for HF Trainer on the same blocks and recipe in the same run, plus the machine's fp32 GEMM peak
 * measured through DJL, so the step's arithmetic can be put against it.
 */
@Command(name = "benchmark-train", mixinStandardHelpOptions = true,
    description = "Training throughput (tokens/s) of DJL vs HF Trainer, and the fraction of fp32 GEMM peak.")
public final class TrainBenchmark extends ModelShapeOptions implements Callable<Integer> {
  private static final ObjectMapper JSON = Json.mapper();

  @Option(names = "--warmup", defaultValue = "2", description = "untimed steps first (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--steps", defaultValue = "4", description = "timed steps; medians shown (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--tokenizer", defaultValue = "distilroberta-base", paramLabel = "ID|DIR",
      description = "RoBERTa tokenizer, for the collator's special tokens (default: ${DEFAULT-VALUE})")
  String tokenizer;
  private Path tokenizerDir;

  @Option(names = "--profile", paramLabel = "FILE",
      description = "record the last timed DJL step with torch's profiler: chrome trace to FILE, top ops printed")
  Path profile;

  /** What one contender's timed steps took: medians of wall and process CPU seconds per step. */
  private record Timing(double seconds, double cpuSeconds) {}

  @Override
  public Integer call() throws Exception {
    ModelConfig config = ModelPresets.get(preset);
    int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    TrainingSettings recipe = TrainingSettings.guide();
    List<int[]> blocks = blocks(config, (warmup + steps) * batch);
    tokenizerDir = Path.of(TokenizerResolver.resolveDirectory(tokenizer, new org.apache.hadoop.conf.Configuration(),
        HubClient.fromEnvironment()).directory().toUri());
    SpecialTokens tokens = SpecialTokens.load(tokenizerDir).withPadAsEos();

    long tokensPerStep = (long) batch * seq;
    double flops = stepFlops(config, batch, seq, recipe.mlmProbability());
    System.out.printf(Locale.ROOT, "%s (%d layers, hidden %d), batch %d x %d, %d threads, %.1f GFLOP per step"
        + " (masked-position head)%n", preset, config.numHiddenLayers(), config.hiddenSize(), batch, seq, threads,
        flops / 1e9);
    System.out.printf(Locale.ROOT, "system load average at the start: %.1f on %d cores%n", loadAverage(),
        Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-42s %8s %10s %10s %11s %12s%n", "", "s/step", "tokens/s", "CPU s/step",
        "GEMM peak", "of the peak");
    // The peak is measured right before each contender: on a shared machine the load changes within a run.
    double peak = gemmPeak();
    Timing djl = djlSteps(config, recipe, tokens, blocks);
    String thpHere = System.getenv().getOrDefault("THP_MEM_ALLOC_ENABLE", "unset");
    row("DJL, THP_MEM_ALLOC_ENABLE=" + thpHere, djl, tokensPerStep, peak, flops);
    if (python == null) {
      System.out.println("(HF baseline skipped: pass --python or set MLM_HF_PYTHON)");
    } else {
      for (boolean thp : new boolean[] {false, true}) {
        peak = gemmPeak();
        Timing hf = hfSteps(config, recipe, blocks, threads, thp);
        row("HF Trainer, THP_MEM_ALLOC_ENABLE=" + (thp ? "1" : "unset"), hf, tokensPerStep, peak, flops);
        System.out.printf(Locale.ROOT, "  DJL tokens/s / HF tokens/s = %.2fx (CPU time per step: %.2fx)%n",
            hf.seconds() / djl.seconds(), hf.cpuSeconds() / djl.cpuSeconds());
      }
      System.out.println("(\"of the peak\": this project's step FLOPs over time x peak; HF projects every"
          + " position onto the vocabulary, so it does more arithmetic than its fraction shows)");
    }
    // Oversubscribed cores stretch wall times (OpenMP threads wait for each other); CPU time suffers less.
    System.out.printf(Locale.ROOT, "system load average at the end: %.1f%n", loadAverage());
    return 0;
  }

  private static void row(String label, Timing timing, long tokens, double peak, double flops) {
    System.out.printf(Locale.ROOT, "%-42s %8.2f %10.1f %10.2f %6.1f GF/s %11.0f%%%n", label, timing.seconds(),
        tokens / timing.seconds(), timing.cpuSeconds(), peak / 1e9, 100 * flops / timing.seconds() / peak);
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** CPU seconds of every thread of this process so far (torch's and the JVM's). */
  private static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  /** Full blocks of random ids in [3, vocab): no special tokens, so any position may be masked. */
  private List<int[]> blocks(ModelConfig config, int count) {
    SplittableRandom random = new SplittableRandom(0);
    List<int[]> blocks = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      int[] block = random.ints(seq, 3, config.vocabSize()).toArray();
      blocks.add(block);
    }
    return blocks;
  }

  /** Times this project's steps, prints where their time went (medians by phase) and, if asked, torch's ops. */
  private Timing djlSteps(ModelConfig config, TrainingSettings recipe, SpecialTokens tokens, List<int[]> blocks)
      throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel model = MaskedLmModel.create(config, manager);
      WeightInit.apply(model, 0);
      MlmMasking masking = new MlmMasking(tokens, recipe.mlmProbability(), recipe.seed());
      TrainStep step = new TrainStep(model, manager, new AdamW(recipe.adamW(), manager),
          recipe.schedule(recipe.plan(1), blocks.size()), recipe.maxGradNorm(), GradientReducer.SINGLE_WORKER,
          recipe.seed(), 0);
      List<Double> times = new ArrayList<>();
      List<Double> cpuTimes = new ArrayList<>();
      List<TrainStep.Phases> phases = new ArrayList<>();
      int[] indexes = new int[batch];
      Arrays.setAll(indexes, i -> i);
      // warm-up, timed steps, then one more under the profiler (which slows what it records) if asked
      for (int s = 0; s < warmup + steps + (profile == null ? 0 : 1); s++) {
        int offset = (s % (warmup + steps)) * batch;
        MaskedBatch masked = masking.collate(blocks.subList(offset, offset + batch), indexes, s);
        boolean profiled = s == warmup + steps;
        if (profiled) {
          JniUtils.startProfile(false, true, false);
        }
        double cpu = processCpuSeconds();
        long start = System.nanoTime();
        TrainStep.Result result = step.run(List.of(masked), s);
        if (profiled) {
          JniUtils.stopProfile(profile.toString());
        } else if (s >= warmup) {
          times.add((System.nanoTime() - start) / 1e9);
          cpuTimes.add(processCpuSeconds() - cpu);
          phases.add(result.phases());
        }
      }
      printPhases(phases);
      if (profile != null) {
        TorchProfile.printTopOperators(profile, 15, System.out);
      }
      return new Timing(Median.of(times), Median.of(cpuTimes));
    }
  }

  private static void printPhases(List<TrainStep.Phases> phases) {
    System.out.printf(Locale.ROOT, "  DJL step by phase (median s): forward %.3f, backward %.3f, grad norm %.3f,"
            + " AdamW %.3f%n",
        Median.of(phases.stream().map(TrainStep.Phases::forward).toList()),
        Median.of(phases.stream().map(TrainStep.Phases::backward).toList()),
        Median.of(phases.stream().map(TrainStep.Phases::norm).toList()),
        Median.of(phases.stream().map(TrainStep.Phases::optimizer).toList()));
  }

  private Timing hfSteps(ModelConfig config, TrainingSettings recipe, List<int[]> blocks, int threads,
      boolean thp) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("bench-train-hf");
    try {
      Files.write(dir.resolve("config.json"), config.toJsonBytes());
      Files.write(dir.resolve("blocks.json"), JSON.writeValueAsBytes(blocks));
      Path script = dir.resolve("hf_train_bench.py");
      try (InputStream in = getClass().getResourceAsStream("/bench/hf_train_bench.py")) {
        Files.copy(in, script);
      }
      ProcessBuilder builder = new ProcessBuilder(python, script.toString(), dir.toString(), tokenizerDir.toString(),
          String.valueOf(batch), String.valueOf(warmup), String.valueOf(steps), String.valueOf(threads),
          String.valueOf(recipe.learningRate()), String.valueOf(recipe.weightDecay()),
          String.valueOf(recipe.mlmProbability()), String.valueOf(recipe.seed()))
          .redirectError(dir.resolve("stderr.txt").toFile());
      Map<String, String> env = builder.environment();
      if (thp) {
        env.put("THP_MEM_ALLOC_ENABLE", "1");
      } else {
        env.remove("THP_MEM_ALLOC_ENABLE");
      }
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IOException("HF baseline failed (" + python + "): " + out
            + Files.readString(dir.resolve("stderr.txt")));
      }
      JsonNode json = JSON.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
      return new Timing(json.get("step_seconds").asDouble(), json.get("step_cpu_seconds").asDouble());
    } finally {
      try (var files = Files.walk(dir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  /** Best of a few 2048 × 2048 fp32 matmuls: 2·n³ FLOPs each. */
  private static double gemmPeak() {
    int n = 2048;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.randomUniform(-1, 1, new Shape(n, n), DataType.FLOAT32);
      NDArray b = manager.randomUniform(-1, 1, new Shape(n, n), DataType.FLOAT32);
      double best = Double.MAX_VALUE;
      for (int i = 0; i < 5; i++) {
        try (NDManager scope = manager.newSubManager()) {
          long start = System.nanoTime();
          NDArray c = a.matMul(b);
          c.getFloat(0, 0); // eager on CPU; reading one value makes sure it is done
          best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
      }
      return 2.0 * n * n * n / best;
    }
  }

  /**
   * The matmul FLOPs of one training step as this project computes it (backward = 2 × forward): per layer the
   * Q, K, V, output and two feed-forward projections over every token, attention scores and weighted sums; the
   * head's dense and vocabulary projection only at the masked positions.
   */
  static double stepFlops(ModelConfig config, int batch, int seq, double mlmProbability) {
    double tokens = (double) batch * seq;
    double h = config.hiddenSize();
    double layer = 2 * tokens * (4 * h * h + 2 * h * config.intermediateSize()) + 2 * 2 * batch * (double) seq * seq * h;
    double masked = tokens * mlmProbability;
    double head = 2 * masked * (h * h + h * config.vocabSize());
    return 3 * (config.numHiddenLayers() * layer + head);
  }

  public static void main(String[] args) {
    Cli.exit(new TrainBenchmark(), args);
  }
}
