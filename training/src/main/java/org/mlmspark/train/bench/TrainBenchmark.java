package org.mlmspark.train.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelConfig;
import org.mlmspark.model.ModelPresets;
import org.mlmspark.model.WeightInit;
import org.mlmspark.model.cli.Commands;
import org.mlmspark.train.GradientReducer;
import org.mlmspark.train.TrainStep;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.data.MaskedBatch;
import org.mlmspark.train.data.MlmMasking;
import org.mlmspark.train.data.SpecialTokens;
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
public final class TrainBenchmark implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--preset", defaultValue = "distilroberta-base", description = "model shape (default: ${DEFAULT-VALUE})")
  String preset;

  @Option(names = "--batch", defaultValue = "8") int batch;

  @Option(names = "--seq", defaultValue = "128") int seq;

  @Option(names = "--warmup", defaultValue = "2", description = "untimed steps first (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--steps", defaultValue = "4", description = "timed steps; medians shown (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--tokenizer", defaultValue = "../shared/tokenizers/distilroberta-base", paramLabel = "DIR",
      description = "RoBERTa tokenizer files, for the collator's special tokens (default: ${DEFAULT-VALUE})")
  Path tokenizer;

  @Option(names = "--python", paramLabel = "EXE",
      description = "a python with torch and transformers for the HF baseline (default: $MLM_HF_PYTHON; none: skip)")
  String python = System.getenv("MLM_HF_PYTHON");

  @Override
  public Integer call() throws Exception {
    ModelConfig config = ModelPresets.get(preset);
    int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    TrainingSettings recipe = TrainingSettings.guide();
    List<int[]> blocks = blocks(config, (warmup + steps) * batch);
    SpecialTokens tokens = SpecialTokens.load(tokenizer).withPadAsEos();

    long tokensPerStep = (long) batch * seq;
    double flops = stepFlops(config, batch, seq, recipe.mlmProbability());
    System.out.printf(Locale.ROOT, "%s (%d layers, hidden %d), batch %d x %d, %d threads, %.1f GFLOP per step"
        + " (masked-position head)%n", preset, config.numHiddenLayers(), config.hiddenSize(), batch, seq, threads,
        flops / 1e9);
    System.out.printf(Locale.ROOT, "%-42s %8s %10s %11s %13s%n", "", "s/step", "tokens/s", "GEMM peak",
        "of the peak");
    // The peak is measured right before each contender: on a shared machine the load changes within a run.
    double peak = gemmPeak();
    double djl = djlStepSeconds(config, recipe, tokens, blocks);
    String thpHere = System.getenv().getOrDefault("THP_MEM_ALLOC_ENABLE", "unset");
    row("DJL, THP_MEM_ALLOC_ENABLE=" + thpHere, djl, tokensPerStep, peak, flops);
    if (python == null) {
      System.out.println("(HF baseline skipped: pass --python or set MLM_HF_PYTHON)");
      return 0;
    }
    for (boolean thp : new boolean[] {false, true}) {
      peak = gemmPeak();
      double hf = hfStepSeconds(config, recipe, blocks, threads, thp);
      row("HF Trainer, THP_MEM_ALLOC_ENABLE=" + (thp ? "1" : "unset"), hf, tokensPerStep, peak, flops);
      System.out.printf(Locale.ROOT, "  DJL tokens/s / HF tokens/s = %.2fx%n", hf / djl);
    }
    System.out.println("(\"of the peak\": this project's step FLOPs over time x peak; HF projects every position"
        + " onto the vocabulary, so it does more arithmetic than its fraction shows)");
    return 0;
  }

  private static void row(String label, double seconds, long tokens, double peak, double flops) {
    System.out.printf(Locale.ROOT, "%-42s %8.2f %10.1f %7.1f GF/s %12.0f%%%n", label, seconds, tokens / seconds,
        peak / 1e9, 100 * flops / seconds / peak);
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

  private double djlStepSeconds(ModelConfig config, TrainingSettings recipe, SpecialTokens tokens,
      List<int[]> blocks) {
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel model = MaskedLmModel.create(config, manager);
      WeightInit.apply(model, 0);
      MlmMasking masking = new MlmMasking(tokens, recipe.mlmProbability(), recipe.seed());
      TrainStep step = new TrainStep(model, manager, new AdamW(recipe.adamW(), manager),
          recipe.schedule(recipe.plan(1), blocks.size()), recipe.maxGradNorm(), GradientReducer.SINGLE_WORKER,
          recipe.seed(), 0);
      List<Double> times = new ArrayList<>();
      for (int s = 0; s < warmup + steps; s++) {
        int[] indexes = new int[batch];
        Arrays.setAll(indexes, i -> i);
        int offset = s * batch;
        MaskedBatch masked = masking.collate(blocks.subList(offset, offset + batch), indexes, s);
        long start = System.nanoTime();
        step.run(List.of(masked), s);
        if (s >= warmup) {
          times.add((System.nanoTime() - start) / 1e9);
        }
      }
      return median(times);
    }
  }

  private double hfStepSeconds(ModelConfig config, TrainingSettings recipe, List<int[]> blocks, int threads,
      boolean thp) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("bench-train-hf");
    try {
      Files.write(dir.resolve("config.json"), config.toJsonBytes());
      Files.write(dir.resolve("blocks.json"), JSON.writeValueAsBytes(blocks));
      Path script = dir.resolve("hf_train_bench.py");
      try (InputStream in = getClass().getResourceAsStream("/bench/hf_train_bench.py")) {
        Files.copy(in, script);
      }
      ProcessBuilder builder = new ProcessBuilder(python, script.toString(), dir.toString(), tokenizer.toString(),
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
      return json.get("step_seconds").asDouble();
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

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  public static void main(String[] args) {
    System.exit(Commands.run(new TrainBenchmark(), args));
  }
}
