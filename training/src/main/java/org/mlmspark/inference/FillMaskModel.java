package org.mlmspark.inference;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelFamilies;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A model directory loaded for fill-mask: the model, its tokenizer and the native memory holding them. */
public final class FillMaskModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FillMaskModel.class);
  /** Loaded once per JVM (a Spark executor, or the driver in local mode), shared by all its tasks. */
  private static final Map<String, FillMaskModel> PER_JVM = new ConcurrentHashMap<>();
  private static final AtomicInteger OPENED = new AtomicInteger();

  private final NDManager manager;
  private final MaskedLmTokenizer tokenizer;
  private final FillMask fillMask;

  private FillMaskModel(NDManager manager, MaskedLmTokenizer tokenizer, FillMask fillMask) {
    this.manager = manager;
    this.tokenizer = tokenizer;
    this.fillMask = fillMask;
  }

  public static FillMaskModel open(ModelDirectory dir) throws IOException {
    OPENED.incrementAndGet();
    // The tokenizer first: a directory without one fails in a second, not after the weights have loaded.
    ModelConfig config = Checkpoints.readConfig(dir);
    MaskedLmTokenizer tokenizer = MaskedLmTokenizer.open(dir, ModelFamilies.of(config).maxSequenceLength(config));
    NDManager manager = NDManager.newBaseManager();
    try {
      MaskedLmModel model = MaskedLmModel.create(config, manager);
      Checkpoints.loadWeights(model, dir, manager);
      // Inference only: without gradients no autograd graph is recorded, even in threads (Spark tasks) where
      // PyTorch's thread-local grad mode is on.
      model.namedParameters().forEach(p -> p.parameter().getArray().setRequiresGradient(false));
      return new FillMaskModel(manager, tokenizer, new FillMask(model, tokenizer, manager));
    } catch (IOException | RuntimeException e) {
      manager.close();
      tokenizer.close();
      throw e;
    }
  }

  /**
   * This JVM's model for {@code location} (a model directory URI or a hub id, resolved with
   * {@link ModelDirectory#resolve}), loaded on first use and kept for the life of the JVM.
   */
  public static FillMaskModel shared(String location, Configuration hadoopConf) {
    return PER_JVM.computeIfAbsent(location, key -> {
      try {
        long start = System.nanoTime();
        FillMaskModel model = open(ModelDirectory.resolve(key, hadoopConf));
        // One pass fills DJL's parameter store here, before concurrent tasks share the model.
        model.fillMask.predictAll(List.of(model.tokenizer.maskToken()), 1);
        LOG.info("Loaded model {} in {} ms", key, (System.nanoTime() - start) / 1_000_000);
        return model;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load model " + key + ": " + e.getMessage(), e);
      }
    });
  }

  /** Models opened in this JVM so far (how tests see that tasks share one). */
  static int opened() {
    return OPENED.get();
  }

  public FillMask fillMask() {
    return fillMask;
  }

  @Override
  public void close() {
    tokenizer.close();
    manager.close();
  }
}
