package org.mlmspark.model;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.mlmspark.model.config.InvalidModelConfigException;
import org.mlmspark.model.config.ModelConfig;

/**
 * The parameter memory a config asks for, checked against the machine before a single tensor is allocated: a
 * config that passes the field bounds of {@link ModelConfig} can still describe terabytes.
 */
public final class ModelSize {
  private ModelSize() {}

  /**
   * The number of parameters of the masked-LM model the config describes (embeddings, layers, head), as a double:
   * a hostile config's count does not fit a long product.
   */
  public static double parameterCount(ModelConfig c) {
    double h = c.hiddenSize();
    double intermediate = c.intermediateSize();
    double embeddings = (double) c.vocabSize() * h + (double) c.maxPositionEmbeddings() * h
        + (double) c.typeVocabSize() * h + 2 * h;
    double attention = 4 * (h * h + h) + 2 * h;
    double feedForward = h * intermediate + intermediate + intermediate * h + h + 2 * h;
    double head = h * h + h + 2 * h + c.vocabSize() + (c.tieWordEmbeddings() ? 0 : (double) c.vocabSize() * h);
    return embeddings + c.numHiddenLayers() * (attention + feedForward) + head;
  }

  /** Bytes of the parameters as float32. */
  public static double parameterBytes(ModelConfig config) {
    return 4 * parameterCount(config);
  }

  /**
   * Refuses a config whose float32 parameters alone exceed {@code availableBytes}.
   *
   * @param source the config file, named in the refusal
   */
  public static void requireFits(ModelConfig config, String source, long availableBytes) {
    double bytes = parameterBytes(config);
    if (bytes > availableBytes) {
      throw new InvalidModelConfigException(String.format(Locale.ROOT,
          "%s describes %.3g parameters (%s as float32; vocab_size %d, hidden_size %d, num_hidden_layers %d,"
              + " intermediate_size %d, max_position_embeddings %d), more than the %s of memory here; refused",
          source, parameterCount(config), gigabytes(bytes), config.vocabSize(), config.hiddenSize(),
          config.numHiddenLayers(), config.intermediateSize(), config.maxPositionEmbeddings(),
          gigabytes(availableBytes)));
    }
  }

  /**
   * The memory a model may take: the machine's (or container's) physical memory. Parameters live in native memory
   * (libtorch), outside the Java heap, so the heap limit is not the bound.
   */
  public static long availableBytes() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  private static String gigabytes(double bytes) {
    return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
  }
}
