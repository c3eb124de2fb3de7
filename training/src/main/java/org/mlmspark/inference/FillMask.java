package org.mlmspark.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mlmspark.model.MaskedLmModel;

/**
 * transformers' {@code pipeline("fill-mask")}: for each mask token in a text, the top-k vocabulary entries by
 * softmax probability at that position, with the text as it reads with each one filled in.
 */
public final class FillMask {
  private final MaskedLmModel model;
  private final MaskedLmTokenizer tokenizer;
  private final NDManager manager;

  /** One proposal, serialised with the pipeline's field names and order. */
  @JsonPropertyOrder({"score", "token", "token_str", "sequence"})
  public record Prediction(
      @JsonProperty("score") double score,
      @JsonProperty("token") long token,
      @JsonProperty("token_str") String tokenStr,
      @JsonProperty("sequence") String sequence) {}

  public FillMask(MaskedLmModel model, MaskedLmTokenizer tokenizer, NDManager manager) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.manager = manager;
  }

  /** Fails like the pipeline's PipelineException when the text has no mask token. */
  public void requireMask(String text) {
    if (maskPositions(tokenizer.encode(text)).isEmpty()) {
      throw new IllegalArgumentException("No mask_token (" + tokenizer.maskToken() + ") found on the input: "
          + text);
    }
  }

  /** One list of {@code topK} predictions per mask token in {@code text}, in text order. */
  public List<List<Prediction>> predict(String text, int topK) {
    requireMask(text);
    long[] ids = tokenizer.encode(text);
    List<Integer> masks = maskPositions(ids);
    try (NDManager scope = manager.newSubManager()) {
      NDArray inputIds = scope.create(ids, new Shape(1, ids.length));
      NDArray hidden = model.hiddenStates(inputIds, null, false).get(0);
      long[] maskIndex = masks.stream().mapToLong(Integer::longValue).toArray();
      // Only the mask positions need the vocabulary projection.
      NDArray probs = model.predict(hidden.get(scope.create(maskIndex)), false).softmax(-1);
      NDList top = probs.topK(topK, -1, true, true);
      float[] scores = top.get(0).toFloatArray();
      long[] tokens = top.get(1).toLongArray();
      boolean singleMask = masks.size() == 1;
      List<List<Prediction>> result = new ArrayList<>();
      for (int m = 0; m < masks.size(); m++) {
        List<Prediction> row = new ArrayList<>();
        for (int k = 0; k < topK; k++) {
          long token = tokens[m * topK + k];
          long[] filled = ids.clone();
          filled[masks.get(m)] = token;
          // With several masks the pipeline keeps special tokens, so the other masks stay visible.
          String sequence = tokenizer.decode(withoutPadding(filled), singleMask);
          row.add(new Prediction(scores[m * topK + k], token, tokenizer.decode(new long[] {token}, false), sequence));
        }
        result.add(row);
      }
      return result;
    }
  }

  private List<Integer> maskPositions(long[] ids) {
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == tokenizer.maskId()) {
        positions.add(i);
      }
    }
    return positions;
  }

  private long[] withoutPadding(long[] ids) {
    return Arrays.stream(ids).filter(id -> id != tokenizer.padId()).toArray();
  }
}
