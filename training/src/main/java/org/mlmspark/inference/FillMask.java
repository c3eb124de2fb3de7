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
 * softmax probability at that position, with the text as it reads with each one filled in. Texts can go one at a
 * time ({@link #predict}) or in batches ({@link #predictAll}); both give the pipeline's results.
 *
 * <p>Thread-safe: the model is only read, and every call works in its own sub-manager.
 */
public final class FillMask {
  /** The error of a text that is null (a missing value in a batch input). */
  public static final String NULL_TEXT = "text is null";

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

  /**
   * What the pipeline gives for one text: one list of predictions per mask token, in text order, or (predictions
   * null) the message of the error it raises.
   */
  public record Result(List<List<Prediction>> predictions, String error) {
    static Result failed(String error) {
      return new Result(null, error);
    }
  }

  public FillMask(MaskedLmModel model, MaskedLmTokenizer tokenizer, NDManager manager) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.manager = manager;
  }

  /** The message of the pipeline's PipelineException for a text without a mask token. */
  public String noMaskError() {
    return "No mask_token (" + tokenizer.maskToken() + ") found on the input";
  }

  /** Fails like the pipeline's PipelineException when the text has no mask token. */
  public void requireMask(String text) {
    if (maskPositions(tokenizer.encode(text)).isEmpty()) {
      throw new IllegalArgumentException(noMaskError() + ": " + text);
    }
  }

  /** One list of {@code topK} predictions per mask token in {@code text}, in text order. */
  public List<List<Prediction>> predict(String text, int topK) {
    requireMask(text);
    return predictAll(List.of(text), topK).get(0).predictions();
  }

  /**
   * The pipeline's result for each text, in order, with one forward pass for all texts that have a mask: rows
   * padded to the longest with the pad token and masked out of attention, which gives each row the logits it has
   * alone. Texts that are null or have no mask get their error instead.
   */
  public List<Result> predictAll(List<String> texts, int topK) {
    Result[] results = new Result[texts.size()];
    List<Integer> rows = new ArrayList<>();
    List<long[]> ids = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      if (text == null) {
        results[i] = Result.failed(NULL_TEXT);
        continue;
      }
      long[] encoded = tokenizer.encode(text);
      if (maskPositions(encoded).isEmpty()) {
        results[i] = Result.failed(noMaskError());
      } else {
        rows.add(i);
        ids.add(encoded);
      }
    }
    if (!rows.isEmpty()) {
      List<List<List<Prediction>>> predicted = forward(ids, topK);
      for (int r = 0; r < rows.size(); r++) {
        results[rows.get(r)] = new Result(predicted.get(r), null);
      }
    }
    return Arrays.asList(results);
  }

  /** Top-k at every mask of every row; rows hold at least one mask each. */
  private List<List<List<Prediction>>> forward(List<long[]> rows, int topK) {
    int length = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
    long[] inputIds = new long[rows.size() * length];
    long[] attention = new long[inputIds.length];
    Arrays.fill(inputIds, tokenizer.padId());
    List<List<Integer>> masks = new ArrayList<>();
    List<Long> flatMaskIndex = new ArrayList<>();
    boolean padded = false;
    for (int r = 0; r < rows.size(); r++) {
      long[] ids = rows.get(r);
      System.arraycopy(ids, 0, inputIds, r * length, ids.length);
      Arrays.fill(attention, r * length, r * length + ids.length, 1L);
      padded |= ids.length < length;
      List<Integer> positions = maskPositions(ids);
      masks.add(positions);
      long rowStart = (long) r * length;
      positions.forEach(p -> flatMaskIndex.add(rowStart + p));
    }
    float[] scores;
    long[] tokens;
    try (NDManager scope = manager.newSubManager()) {
      Shape shape = new Shape(rows.size(), length);
      NDArray mask = padded ? scope.create(attention, shape) : null; // no mask at all: as a text alone
      NDArray hidden = model.hiddenStates(scope.create(inputIds, shape), mask, false)
          .reshape(-1, model.config().hiddenSize());
      NDArray maskIndex = scope.create(flatMaskIndex.stream().mapToLong(Long::longValue).toArray());
      // Only the mask positions need the vocabulary projection.
      NDArray probs = model.predict(hidden.get(maskIndex), false).softmax(-1);
      NDList top = probs.topK(topK, -1, true, true);
      scores = top.get(0).toFloatArray();
      tokens = top.get(1).toLongArray();
    }
    List<List<List<Prediction>>> result = new ArrayList<>();
    int m = 0;
    for (int r = 0; r < rows.size(); r++) {
      List<List<Prediction>> perMask = new ArrayList<>();
      for (int position : masks.get(r)) {
        int from = m * topK;
        int to = from + topK;
        perMask.add(predictions(rows.get(r), position, masks.get(r).size() == 1,
            Arrays.copyOfRange(scores, from, to), Arrays.copyOfRange(tokens, from, to)));
        m++;
      }
      result.add(perMask);
    }
    return result;
  }

  /** The pipeline's proposals for one mask: each token with the text as it reads with that token filled in. */
  private List<Prediction> predictions(long[] ids, int position, boolean singleMask, float[] scores, long[] tokens) {
    List<Prediction> row = new ArrayList<>(tokens.length);
    for (int k = 0; k < tokens.length; k++) {
      long[] filled = ids.clone();
      filled[position] = tokens[k];
      // With several masks the pipeline keeps special tokens, so the other masks stay visible.
      String sequence = tokenizer.decode(withoutPadding(filled), singleMask);
      row.add(new Prediction(scores[k], tokens[k], tokenizer.decode(new long[] {tokens[k]}, false), sequence));
    }
    return row;
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

  /** As the pipeline, which drops pad tokens (a literal {@code <pad>} in the text too) before decoding. */
  private long[] withoutPadding(long[] ids) {
    return Arrays.stream(ids).filter(id -> id != tokenizer.padId()).toArray();
  }
}
