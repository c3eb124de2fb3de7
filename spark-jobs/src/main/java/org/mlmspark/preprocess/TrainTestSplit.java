package org.mlmspark.preprocess;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.mlmspark.support.Hashing;

/**
 * Deterministic train/test assignment: a question's side depends only on its {@code q_id} and the seed, never on
 * which other rows exist or in which order they come, so a question never moves between train and test when the
 * dataset grows between reruns (unlike the guide's shuffled {@code train_test_split}).
 *
 * <p>SHA-256 of {@code seed ":" q_id} read as a uniform number in [0, 1); the row is test when it falls below
 * {@code testSize}, so about that fraction of questions is test.
 */
public final class TrainTestSplit implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double TWO_TO_53 = 0x1p53;

  private final long seed;
  private final double testSize;

  /** @param testSize fraction of questions in test, in [0, 1); 0 puts every row in train */
  public TrainTestSplit(long seed, double testSize) {
    if (!(testSize >= 0 && testSize < 1)) {
      throw new IllegalArgumentException("test size must be in [0, 1): " + testSize);
    }
    this.seed = seed;
    this.testSize = testSize;
  }

  public boolean isTest(String qId) {
    return testSize > 0 && position(seed, qId) < testSize;
  }

  /** Where (seed, qId) lands in [0, 1): the top 53 bits of its SHA-256, so every double step is reachable. */
  static double position(long seed, String qId) {
    byte[] digest = Hashing.sha256().digest((seed + ":" + qId).getBytes(StandardCharsets.UTF_8));
    return (ByteBuffer.wrap(digest).getLong() >>> 11) / TWO_TO_53;
  }
}
