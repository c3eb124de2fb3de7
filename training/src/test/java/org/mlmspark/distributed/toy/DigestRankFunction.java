package org.mlmspark.distributed.toy;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.mlmspark.allreduce.AllReduce;
import org.mlmspark.distributed.RankContext;
import org.mlmspark.distributed.RankFunction;
import org.mlmspark.support.Hashing;

/** Each rank contributes {@link #contribution} and sums it with the others; returns the sum and its SHA-256. */
public record DigestRankFunction(int floats) implements RankFunction<DigestRankFunction.Result> {
  public record Result(int rank, int worldSize, int attempt, String device, long pid, float[] sum, String sha256)
      implements Serializable {}

  /** Small integers and halves: sums of a few are exact in float, so the expected sum is exact too. */
  public static float contribution(int rank, int index) {
    return (rank + 1) * (index % 97) + rank * 0.5f;
  }

  @Override
  public Result run(RankContext context) throws Exception {
    ByteBuffer data = AllReduce.allocateFloats(floats);
    for (int i = 0; i < floats; i++) {
      data.putFloat(i * Float.BYTES, contribution(context.rank(), i));
    }
    context.allReduce().sumInPlace(data);
    float[] sum = new float[floats];
    data.asFloatBuffer().get(sum);
    MessageDigest sha = Hashing.sha256();
    sha.update(data.duplicate());
    return new Result(context.rank(), context.worldSize(), context.attempt(), context.device().name(),
        ProcessHandle.current().pid(), sum, Hashing.hex(sha));
  }
}
