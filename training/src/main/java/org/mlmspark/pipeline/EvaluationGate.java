package org.mlmspark.pipeline;

/**
 * Whether a newly trained model replaces the published one, by their perplexities on the same test blocks.
 *
 * @param maxIncrease the largest relative perplexity increase accepted (0.05 = 5 % worse), or null to publish
 *     every successfully evaluated model
 */
public record EvaluationGate(Double maxIncrease) {
  /** The decision and its reason, for the log and the run record. */
  public record Decision(boolean publish, String reason) {}

  public EvaluationGate {
    if (maxIncrease != null && (!(maxIncrease >= 0) || maxIncrease.isInfinite())) {
      throw new IllegalArgumentException("the perplexity margin must be a number >= 0, got " + maxIncrease);
    }
  }

  /**
   * @param published the published model's perplexity, or null when there is none or it cannot be compared
   * @throws IllegalStateException when the candidate's perplexity is not a number: the evaluation failed
   */
  public Decision decide(double candidate, Double published) {
    if (!Double.isFinite(candidate)) {
      throw new IllegalStateException("the evaluation gave perplexity " + candidate
          + " (no maskable tokens in the test split?)");
    }
    if (published == null) {
      return new Decision(true, String.format("perplexity %.4f; no published model to compare with", candidate));
    }
    String comparison = String.format("perplexity %.4f vs %.4f published", candidate, published);
    if (maxIncrease == null) {
      return new Decision(true, comparison + "; no gate configured");
    }
    double limit = published * (1 + maxIncrease);
    return candidate <= limit
        ? new Decision(true, comparison + String.format(": within the accepted +%.1f %%", maxIncrease * 100))
        : new Decision(false, comparison + String.format(": more than %.1f %% worse", maxIncrease * 100));
  }
}
