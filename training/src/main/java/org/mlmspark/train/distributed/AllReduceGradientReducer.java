package org.mlmspark.train.distributed;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.mlmspark.allreduce.AllReduce;
import org.mlmspark.model.DeviceCopies;
import org.mlmspark.train.GradientReducer;

/**
 * The data-parallel {@link GradientReducer}: sums across ranks with the ring all-reduce. Sums, not averages,
 * because {@link org.mlmspark.train.TrainStep} already divides every rank's loss by the label count of the
 * whole global step. The ring gives every rank bit-identical sums, so every rank applies the same update and
 * the ranks' parameters never drift apart.
 *
 * <p>Per step the gradients are flattened into one tensor on their device (one concatenation), copied once
 * into a host tensor that lives as long as the reducer (the ring's buffer is that tensor's memory), summed in
 * buckets, copied back once, and split into the gradients on the device. Everything made for a step lives in a
 * manager closed at the step's end, so nothing accumulates step after step. On the CPU the flat tensor itself
 * is the ring's buffer, unless {@link Staging#ALWAYS} asks for the host copy there too (to exercise it).
 */
public final class AllReduceGradientReducer implements GradientReducer, AutoCloseable {
  /** 4 M floats (16 MB): few collectives per step, yet a large model's transfer is pipelined. */
  public static final int DEFAULT_BUCKET_FLOATS = 4 << 20;

  /** When the flat gradients go through the reducer's host tensor. */
  public enum Staging {
    /** Only when the gradients are off the host (GPU); CPU gradients are summed in their flat copy. */
    OFF_HOST,
    /** Always, CPU too: the path GPU ranks take, runnable where there is no GPU. */
    ALWAYS
  }

  private static final int FLOATS_PER_DOUBLE = 3;

  private final AllReduce ring;
  private final int bucketFloats;
  private final Staging staging;
  private NDManager hostManager;
  private NDArray host;

  public AllReduceGradientReducer(AllReduce ring) {
    this(ring, DEFAULT_BUCKET_FLOATS, Staging.OFF_HOST);
  }

  public AllReduceGradientReducer(AllReduce ring, int bucketFloats, Staging staging) {
    if (bucketFloats < 1) {
      throw new IllegalArgumentException("bucket must hold at least one float, got " + bucketFloats);
    }
    this.ring = ring;
    this.bucketFloats = bucketFloats;
    this.staging = staging;
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
    if (gradients.isEmpty()) {
      return;
    }
    long total = 0;
    for (NDArray gradient : gradients) {
      if (gradient.getDataType() != DataType.FLOAT32) {
        throw new IllegalArgumentException("all-reduce sums float32 gradients, got " + gradient.getDataType());
      }
      total += gradient.size();
    }
    Device device = gradients.get(0).getDevice();
    try (NDManager step = NDManager.newBaseManager(device)) {
      NDList parts = new NDList(gradients.size());
      for (NDArray gradient : gradients) {
        NDArray part = gradient.reshape(-1);
        part.attach(step);
        parts.add(part);
      }
      NDArray flat = NDArrays.concat(parts);
      flat.attach(step);
      boolean staged = staging == Staging.ALWAYS || !Device.cpu().equals(device);
      NDArray summed = staged ? hostTensor(total) : flat;
      if (staged) {
        DeviceCopies.copy(summed, flat); // device → host, once
      }
      sumInBuckets(summed.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN));
      if (staged) {
        DeviceCopies.copy(flat, summed); // host → device, once
      }
      long offset = 0;
      for (NDArray gradient : gradients) {
        NDArray slice = flat.get(new NDIndex("{}:{}", offset, offset + gradient.size()));
        slice.attach(step);
        NDArray shaped = slice.reshape(gradient.getShape());
        shaped.attach(step);
        DeviceCopies.copy(gradient, shaped);
        offset += gradient.size();
      }
    }
  }

  /**
   * Submits the buffer bucket by bucket and waits for all: the ring runs one collective at a time, and smaller
   * collectives keep its per-link buffers small.
   */
  private void sumInBuckets(ByteBuffer buffer) {
    List<CompletableFuture<Void>> buckets = new ArrayList<>();
    int bucketBytes = bucketFloats * Float.BYTES;
    for (int from = 0; from < buffer.capacity(); from += bucketBytes) {
      int length = Math.min(bucketBytes, buffer.capacity() - from);
      buckets.add(ring.sumAsync(buffer.slice(from, length).order(ByteOrder.LITTLE_ENDIAN)));
    }
    buckets.forEach(AllReduce::await);
  }

  /** The host tensor the ring works on, kept from step to step (allocated again only if the size changes). */
  private NDArray hostTensor(long floats) {
    if (host == null || host.size() != floats) {
      close();
      hostManager = NDManager.newBaseManager(Device.cpu());
      host = hostManager.create(new Shape(floats), DataType.FLOAT32);
    }
    return host;
  }

  /** Frees the host tensor. */
  @Override
  public void close() {
    if (hostManager != null) {
      hostManager.close();
      hostManager = null;
      host = null;
    }
  }
}
