package org.mlmspark.benchmarks.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mlmspark.cli.Cli;
import org.mlmspark.train.optim.AdamW;
import org.mlmspark.train.optim.GlobalNormClip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times one optimizer step (global-norm clip + AdamW) over distilroberta-base's parameter shapes, against
 * DJL's built-in fused adamUpdate on the same tensors in the same run.
 */
@Command(name = "benchmark-optimizer", mixinStandardHelpOptions = true,
    description = "Time clip + AdamW at distilroberta-base size against DJL's adamUpdate")
public final class OptimizerBenchmark implements Callable<Integer> {
  @Option(names = "--layers", description = "encoder layers (distilroberta-base: ${DEFAULT-VALUE})")
  int layers = 6;

  @Option(names = "--repeats", description = "timed steps after one warm-up step (default ${DEFAULT-VALUE})")
  int repeats = 3;

  public static void main(String[] args) {
    Cli.exit(new OptimizerBenchmark(), args);
  }

  @Override
  public Integer call() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      List<AdamW.Parameter> ours = distilrobertaShapes(manager);
      List<AdamW.Parameter> baseline = distilrobertaShapes(manager);
      long count = ours.stream().mapToLong(p -> p.value().size()).sum();
      System.out.printf("%d tensors, %.1f M parameters%n", ours.size(), count / 1e6);
      AdamW adamW = new AdamW(AdamW.Hyperparameters.hfDefaults(0.01), manager);
      List<NDArray[]> baselineMoments = new ArrayList<>();
      for (AdamW.Parameter p : baseline) {
        baselineMoments.add(new NDArray[] {p.value().zerosLike(), p.value().zerosLike()});
      }
      for (int repeat = 0; repeat <= repeats; repeat++) {
        refillGradients(ours, repeat);
        refillGradients(baseline, repeat);
        long start = System.nanoTime();
        float norm = GlobalNormClip.totalNorm(ours.stream().map(AdamW.Parameter::gradient).toList());
        adamW.step(ours, 2e-5, GlobalNormClip.coefficient(norm, 1.0));
        double oursMs = (System.nanoTime() - start) / 1e6;
        start = System.nanoTime();
        for (int i = 0; i < baseline.size(); i++) {
          AdamW.Parameter p = baseline.get(i);
          NDArray[] moments = baselineMoments.get(i);
          p.value().getNDArrayInternal().adamUpdate(
              new NDList(p.value(), p.gradient(), moments[0], moments[1]), new NDList(p.value()),
              2e-5f, 2e-5f, 0.01f, 1f, -1f, 0.9f, 0.999f, 1e-8f, false, true);
        }
        double baselineMs = (System.nanoTime() - start) / 1e6;
        System.out.printf("%s clip+AdamW %.0f ms, DJL adamUpdate (no clip) %.0f ms, ratio %.2f%n",
            repeat == 0 ? "warm-up" : "step " + repeat, oursMs, baselineMs, baselineMs / oursMs);
      }
    }
    return 0;
  }

  /** Embeddings, {@code layers} transformer layers and the LM head transform, with HF-style names. */
  private List<AdamW.Parameter> distilrobertaShapes(NDManager manager) {
    List<AdamW.Parameter> parameters = new ArrayList<>();
    add(parameters, manager, "embeddings.word_embeddings.weight", 50265, 768);
    add(parameters, manager, "embeddings.position_embeddings.weight", 514, 768);
    add(parameters, manager, "embeddings.LayerNorm.weight", 768);
    add(parameters, manager, "embeddings.LayerNorm.bias", 768);
    for (int layer = 0; layer < layers; layer++) {
      String prefix = "encoder.layer." + layer + ".";
      for (String linear : List.of("attention.self.query", "attention.self.key", "attention.self.value",
          "attention.output.dense")) {
        add(parameters, manager, prefix + linear + ".weight", 768, 768);
        add(parameters, manager, prefix + linear + ".bias", 768);
      }
      add(parameters, manager, prefix + "intermediate.dense.weight", 3072, 768);
      add(parameters, manager, prefix + "intermediate.dense.bias", 3072);
      add(parameters, manager, prefix + "output.dense.weight", 768, 3072);
      add(parameters, manager, prefix + "output.dense.bias", 768);
      for (String norm : List.of("attention.output.LayerNorm", "output.LayerNorm")) {
        add(parameters, manager, prefix + norm + ".weight", 768);
        add(parameters, manager, prefix + norm + ".bias", 768);
      }
    }
    add(parameters, manager, "lm_head.dense.weight", 768, 768);
    add(parameters, manager, "lm_head.dense.bias", 768);
    add(parameters, manager, "lm_head.bias", 50265);
    return parameters;
  }

  private static void add(List<AdamW.Parameter> parameters, NDManager manager, String name, long... shape) {
    NDArray value = manager.randomNormal(0, 0.02f, new Shape(shape), ai.djl.ndarray.types.DataType.FLOAT32);
    parameters.add(new AdamW.Parameter(name, value, value.zerosLike()));
  }

  /** Non-zero gradients before every step (the optimizer leaves them zeroed). */
  private static void refillGradients(List<AdamW.Parameter> parameters, int repeat) {
    for (AdamW.Parameter p : parameters) {
      p.gradient().addi(0.001f * (repeat + 1));
    }
  }
}
