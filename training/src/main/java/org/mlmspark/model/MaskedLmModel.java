package org.mlmspark.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.mlmspark.model.blocks.Encoder;
import org.mlmspark.model.blocks.EncoderModel;
import org.mlmspark.model.blocks.GraphScalars;
import org.mlmspark.model.blocks.HfBlock;
import org.mlmspark.model.blocks.LmHead;
import org.mlmspark.model.blocks.NamedParameter;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.model.family.ModelFamily;

/**
 * {@code *ForMaskedLM}: the base encoder under the family's prefix and the masked-LM head, with tensor names equal
 * to the HF checkpoint's. Built from a config, its parameters hold DJL's default initial values until a checkpoint
 * is loaded or {@link WeightInit} applies HF's initialisation.
 *
 * <p>Works under DJL's {@code GradientCollector}: {@link #loss} is differentiable with respect to every
 * {@link #namedParameters() named parameter}.
 */
public final class MaskedLmModel extends HfBlock {
  private final ModelConfig config;
  private final ModelFamily family;
  private final EncoderModel base;
  private final LmHead head;
  private final ParameterStore parameterStore;

  private MaskedLmModel(ModelConfig config, ModelFamily family, NDManager manager) {
    this.config = config;
    this.family = family;
    float eps = family.layerNormEps(config);
    base = child(family.basePrefix(), new EncoderModel(family.embeddings(config), family.encoderName(),
        new Encoder(config, family.layerNames(), eps)));
    head = child("", new LmHead(config, family.headNames(), family.headActivation(config), eps));
    parameterStore = new ParameterStore(manager, false);
  }

  /** A model of the config's shape with freshly allocated parameters in {@code manager} (float32, its device). */
  public static MaskedLmModel create(ModelConfig config, NDManager manager) {
    MaskedLmModel model = new MaskedLmModel(config, ModelFamilies.of(config), manager);
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
    return model;
  }

  public ModelConfig config() {
    return config;
  }

  public ModelFamily family() {
    return family;
  }

  /** Every trainable tensor with its HF checkpoint name, tied tensors once, in the order HF's modules list them. */
  public List<NamedParameter> namedParameters() {
    return namedParameters("");
  }

  /** The encoder's last hidden state [batch, seq, hidden]; {@code attentionMask} may be null (no padding). */
  public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask, boolean training) {
    return base.forward(parameterStore, inputIds, attentionMask, training);
  }

  /** Prediction scores over the vocabulary for every position: [batch, seq, vocab]. */
  public NDArray logits(NDArray inputIds, NDArray attentionMask, boolean training) {
    return predict(hiddenStates(inputIds, attentionMask, training), training);
  }

  /** The LM head applied to hidden states of any leading shape [..., hidden] → [..., vocab]. */
  public NDArray predict(NDArray hidden, boolean training) {
    return head.forward(parameterStore, hidden, base.embeddings().wordEmbeddings(), training);
  }

  /**
   * The masked-LM loss of {@code RobertaForMaskedLM(labels=...)}: mean cross-entropy over positions whose label is
   * not {@value MaskedLmLoss#IGNORE_INDEX}. Only those positions (~15 % in MLM training) go through the head and its
   * vocabulary-sized projection: the same loss as projecting every position, for a fraction of the work.
   */
  public NDArray loss(NDArray inputIds, NDArray attentionMask, NDArray labels, boolean training) {
    NDArray positions = GraphScalars.notEqual(labels.reshape(-1), MaskedLmLoss.IGNORE_INDEX).nonzero().squeeze(1);
    return loss(inputIds, attentionMask, labels, positions, training);
  }

  /**
   * {@link #loss(NDArray, NDArray, NDArray, boolean)} given the labelled positions: the flat indexes
   * (row · seq + column) of the labels that are not ignored, ascending. The trainer knows them from the host copy
   * of the batch; finding them on the device ({@code nonzero}) would read their count back, a blocking sync on a
   * GPU.
   */
  public NDArray loss(NDArray inputIds, NDArray attentionMask, NDArray labels, NDArray positions, boolean training) {
    NDList labelled = labelledLogits(inputIds, attentionMask, labels, positions, training);
    return MaskedLmLoss.crossEntropy(labelled.get(0), labelled.get(1));
  }

  /**
   * The scores of the labelled {@code positions} only, row-major: [logits [n, vocab], their labels [n]], for the
   * loss and for evaluation's masked-token accuracy.
   */
  public NDList labelledLogits(NDArray inputIds, NDArray attentionMask, NDArray labels, NDArray positions,
      boolean training) {
    NDArray hidden = hiddenStates(inputIds, attentionMask, training);
    NDArray selected = hidden.reshape(-1, config.hiddenSize()).get(positions);
    return new NDList(predict(selected, training), labels.reshape(-1).get(positions));
  }

  /** DJL's NDList entry point: [input_ids, attention_mask] → [logits]. */
  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
    return new NDList(logits(inputs.get(0), mask, training));
  }
}
