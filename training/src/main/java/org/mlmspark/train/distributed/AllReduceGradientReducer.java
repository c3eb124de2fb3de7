package org.mlmspark.train.distributed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.mlmspark.allreduce.AllReduce;
import org.mlmspark.train.GradientReducer;

/**
 * The data-parallel {@link GradientReducer}: sums across ranks with the ring all-reduce. Sums, not averages,
 * because {@link org.mlmspark.train.TrainStep} already divides every rank's loss by the label count of the
 * whole global step. The ring gives every rank bit-identical sums, so every rank applies the same update and
 * the ranks' parameters never drift apart.
 *
 * <p>Gradients are packed into one flat buffer (reused from step to step) and summed in buckets: a bucket is
 * submitted as soon as it is packed, so packing the rest overlaps the ring's transfer of the first ones; the
 * sums are then copied back into the gradients by torch.
 */
public final class AllReduceGradientReducer implements GradientReducer {
  /** 4 M floats (16 MB): few collectives per step, yet packing overlaps the transfer of a large model. */
  public static final int DEFAULT_BUCKET_FLOATS = 4 << 20;

  private static final int FLOATS_PER_DOUBLE = 3;
  private static final NDIndex ALL = new NDIndex("...");

  private final AllReduce ring;
  private final int bucketFloats;
  private ByteBuffer flat;

  public AllReduceGradientReducer(AllReduce ring) {
    this(ring, DEFAULT_BUCKET_FLOATS);
  }

  public AllReduceGradientReducer(AllReduce ring, int bucketFloats) {
    if (bucketFloats < 1) {
      throw new IllegalArgumentException("bucket must hold at least one float, got " + bucketFloats);
    }
    this.ring = ring;
    this.bucketFloats = bucketFloats;
  }

  /**
   * Sums doubles exactly as one rank would, in double, with a float collective: every rank writes its values into
   * its own slot of a zeroed buffer, each double split exactly into three floats, so the all-reduce (adding zeros
   * only) is an all-gather; then every rank adds the ranks' doubles in rank order and gets the same bits.
   */
  @Override
  public void sumScalars(double[] values) {
    int slot = FLOATS_PER_DOUBLE * values.length;
    ByteBuffer gathered = AllReduce.allocateFloats(slot * ring.worldSize());
    gathered.position(ring.rank() * slot * Float.BYTES);
    for (double value : values) {
      float high = (float) value;
      double rest = value - high;
      float middle = (float) rest;
      gathered.putFloat(high).putFloat(middle).putFloat((float) (rest - middle));
    }
    gathered.clear();
    ring.sumInPlace(gathered);
    Arrays.fill(values, 0);
    for (int rank = 0; rank < ring.worldSize(); rank++) {
      for (int i = 0; i < values.length; i++) {
        values[i] += (double) gathered.getFloat() + (double) gathered.getFloat() + gathered.getFloat();
      }
    }
  }

  @Override
  public void sumGradients(List<NDArray> gradients) {
    long total = 0;
    for (NDArray gradient : gradients) {
      if (gradient.getDataType() != DataType.FLOAT32) {
        throw new IllegalArgumentException("all-reduce sums float32 gradients, got " + gradient.getDataType());
      }
      total += gradient.size();
    }
    ByteBuffer buffer = flatBuffer(Math.toIntExact(total));
    List<CompletableFuture<Void>> buckets = new ArrayList<>();
    int bucketBytes = bucketFloats * Float.BYTES;
    int submitted = 0;
    for (NDArray gradient : gradients) {
      buffer.put(gradient.toByteBuffer());
      while (buffer.position() - submitted >= bucketBytes) {
        buckets.add(ring.sumAsync(buffer.slice(submitted, bucketBytes).order(buffer.order())));
        submitted += bucketBytes;
      }
    }
    if (buffer.position() > submitted) {
      buckets.add(ring.sumAsync(buffer.slice(submitted, buffer.position() - submitted).order(buffer.order())));
    }
    buckets.forEach(AllReduce::await);
    int offset = 0;
    for (NDArray gradient : gradients) {
      int bytes = Math.toIntExact(gradient.size() * Float.BYTES);
      // Copied by torch: NDArray.set(Buffer) would instead point a CPU tensor at our buffer, which we overwrite
      // next step (and two ranks in one JVM then corrupted the heap).
      try (NDManager scope = gradient.getManager().newSubManager()) {
        NDArray summed = scope.create(buffer.slice(offset, bytes).order(buffer.order()).asFloatBuffer(),
            gradient.getShape());
        gradient.set(ALL, summed);
      }
      offset += bytes;
    }
  }

  private ByteBuffer flatBuffer(int floats) {
    if (flat == null || flat.capacity() != floats * Float.BYTES) {
      flat = AllReduce.allocateFloats(floats);
    }
    return flat.clear();
  }
}
