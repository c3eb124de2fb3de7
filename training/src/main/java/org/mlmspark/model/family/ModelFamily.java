package org.mlmspark.model.family;

import java.util.ArrayList;
import java.util.List;
import org.mlmspark.model.blocks.Activation;
import org.mlmspark.model.blocks.Embeddings;
import org.mlmspark.model.blocks.HeadNames;
import org.mlmspark.model.blocks.LayerNames;
import org.mlmspark.model.config.InvalidModelConfigException;
import org.mlmspark.model.config.ModelConfig;

/**
 * What one HF model family ({@code model_type}) says about the shared encoder: its checkpoint names, how it
 * numbers positions, which head activation it uses. The network itself is the same blocks for all of them.
 *
 * <p>{@code ModelFamilies} lists the families and picks one for a config.
 */
public abstract class ModelFamily {

  /** The {@code model_type} values this family reads (RoBERTa-shaped checkpoints share one family). */
  public abstract List<String> modelTypes();

  /** The class name HF writes into {@code architectures}. */
  public abstract String architecture();

  /** The base model's attribute name: the prefix of every encoder tensor ({@code roberta}, {@code bert}, ...). */
  public abstract String basePrefix();

  /** The encoder's attribute name in the base model. */
  public String encoderName() {
    return "encoder";
  }

  public abstract Embeddings embeddings(ModelConfig config);

  public LayerNames layerNames() {
    return new LayerNames("attention.self.query", "attention.self.key", "attention.self.value",
        "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense",
        "output.LayerNorm");
  }

  public abstract HeadNames headNames();

  /**
   * Checkpoint names HF ties to a tensor stored under another name (the decoder weight = the word embeddings,
   * the decoder bias = the head's bias). Older checkpoints still store them; loading skips them silently.
   */
  public List<String> tiedCopies(ModelConfig config) {
    HeadNames head = headNames();
    String decoderModule = head.decoder().substring(0, head.decoder().lastIndexOf('.'));
    List<String> copies = new ArrayList<>();
    if (config.tieWordEmbeddings()) {
      copies.add(head.decoder());
    }
    if (!head.bias().equals(decoderModule + ".bias")) {
      copies.add(decoderModule + ".bias");
    }
    return copies;
  }

  public abstract Activation headActivation(ModelConfig config);

  public float layerNormEps(ModelConfig config) {
    return config.layerNormEps();
  }

  /** The longest input (special tokens included) the position table can number. */
  public int maxSequenceLength(ModelConfig config) {
    return config.maxPositionEmbeddings();
  }

  /** Rejects options of this family's HF class that the shared blocks do not implement. */
  public void validate(ModelConfig config) {
    if (!"absolute".equals(config.positionEmbeddingType())) {
      throw new InvalidModelConfigException("unsupported position_embedding_type \""
          + config.positionEmbeddingType() + "\"; supported: absolute");
    }
    if (config.isDecoder()) {
      throw new InvalidModelConfigException("is_decoder=true (causal attention) is not supported by a masked LM;"
          + " supported: is_decoder=false");
    }
    Activation.of(config.hiddenAct());
  }
}
