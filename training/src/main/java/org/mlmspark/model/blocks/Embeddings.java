package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import org.mlmspark.model.blocks.NamedParameter.Role;
import org.mlmspark.model.config.ModelConfig;

/** RobertaEmbeddings / BertEmbeddings / DistilBERT's Embeddings: word + position (+ token type), LayerNorm, dropout. */
public final class Embeddings extends HfBlock {
  private final Parameter wordEmbeddings;
  private final Parameter positionEmbeddings;
  private final Parameter tokenTypeEmbeddings;
  private final int wordPaddingRow;
  private final int positionPaddingRow;
  private final LayerNorm layerNorm;
  private final PositionIds positionIds;
  private final float dropout;

  /**
   * The lookup passes its gradient as the looked-up rows only (sparse), not as a vocabulary-sized dense tensor
   * (154 MB at distilroberta-base size, mostly zeros, freshly allocated and summed every step). Only when the
   * table is tied to the LM head's decoder: autograd then adds the rows into the decoder's dense gradient, so
   * the table's gradient stays dense, as the optimizer needs it. Same sums, in another order.
   */
  private final boolean sparseWordGradient;

  /**
   * @param tokenTypes         whether the family has token-type embeddings (DistilBERT has none)
   * @param positionPaddingRow RoBERTa's position table has padding_idx = pad_token_id; -1 for none
   */
  public Embeddings(
      ModelConfig config, PositionIds positionIds, boolean tokenTypes, int positionPaddingRow, float layerNormEps) {
    int hidden = config.hiddenSize();
    wordPaddingRow = config.padTokenId();
    this.positionPaddingRow = positionPaddingRow;
    wordEmbeddings = tensor("word_embeddings.weight", new Shape(config.vocabSize(), hidden), Role.EMBEDDING,
        wordPaddingRow);
    positionEmbeddings = tensor("position_embeddings.weight", new Shape(config.maxPositionEmbeddings(), hidden),
        Role.EMBEDDING, positionPaddingRow);
    tokenTypeEmbeddings = tokenTypes
        ? tensor("token_type_embeddings.weight", new Shape(config.typeVocabSize(), hidden), Role.EMBEDDING, -1)
        : null;
    layerNorm = layerNorm("LayerNorm", hidden, layerNormEps);
    this.positionIds = positionIds;
    this.dropout = config.hiddenDropoutProb();
    sparseWordGradient = config.tieWordEmbeddings();
  }

  /** The word embedding table, which the masked-LM head reuses as its (tied) output projection. */
  public Parameter wordEmbeddings() {
    return wordEmbeddings;
  }

  public NDArray forward(ParameterStore ps, NDArray inputIds, boolean training) {
    NDArray x = lookup(ps, wordEmbeddings, inputIds, wordPaddingRow, training, sparseWordGradient)
        .add(lookup(ps, positionEmbeddings, positionIds.of(inputIds), positionPaddingRow, training, false));
    if (tokenTypeEmbeddings != null) {
      // The guide never passes token_type_ids: HF then uses all zeros, i.e. row 0 for every token.
      NDArray row = ps.getValue(tokenTypeEmbeddings, inputIds.getDevice(), training).get(0);
      row.attach(x.getManager()); // the row would otherwise live in the parameters' manager, one per call
      x = x.add(row);
    }
    return Dropouts.apply(apply(layerNorm, ps, x, training), dropout, training);
  }

  /**
   * nn.Embedding(padding_idx=p): rows looked up for index p pass no gradient to the table. Same values; for those
   * positions the gradient is cut by taking them from a detached copy (the word table still learns its pad row
   * through the tied LM head, as in HF). Applied whether or not the batch holds index p: asking would read a
   * value back from the device, and where() over rows that are all kept changes nothing.
   */
  private static NDArray lookup(ParameterStore ps, Parameter table, NDArray ids, int paddingRow, boolean training,
      boolean sparseGradient) {
    NDArray weight = ps.getValue(table, ids.getDevice(), training);
    SparseFormat gradient = training && sparseGradient ? SparseFormat.COO : SparseFormat.DENSE;
    NDArray rows = Embedding.embedding(ids, weight, gradient).singletonOrThrow();
    if (!training || paddingRow < 0) {
      return rows;
    }
    NDArray isPadding = GraphScalars.equal(ids, paddingRow).expandDims(2).broadcast(rows.getShape());
    return NDArrays.where(isPadding, rows.stopGradient(), rows);
  }
}
