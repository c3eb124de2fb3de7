package org.mlmspark.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;

/**
 * Copies between tensors of equal shape, on one device or across host and device, as one torch {@code copy_}
 * into memory the destination already has. DJL's own ways across devices leak off the host: {@code toDevice}
 * (and so {@code toByteBuffer()} of a GPU tensor) puts the copy in a new sub-manager of the source's manager that
 * stays attached to it, and {@code dst.set(index, src)} makes such a copy first.
 */
public final class DeviceCopies {
  private DeviceCopies() {}

  /** {@code dst.copy_(src)}: shapes must be equal; devices may differ; nothing is allocated. */
  public static void copy(NDArray dst, NDArray src) {
    if (!dst.getShape().equals(src.getShape())) {
      throw new IllegalArgumentException("copy of " + src.getShape() + " into " + dst.getShape());
    }
    int rank = dst.getShape().dimension();
    long[] step = new long[rank];
    Arrays.fill(step, 1);
    JniUtils.indexSet((PtNDArray) dst, (PtNDArray) src, new long[rank], dst.getShape().getShape(), step);
  }

  /**
   * The arrays as host tensors, with their names: CPU arrays as they are, others copied into {@code host} (a CPU
   * manager the caller closes when done, e.g. after encoding a checkpoint).
   */
  public static NDList onHost(NDList arrays, NDManager host) {
    NDList out = new NDList(arrays.size());
    for (NDArray array : arrays) {
      if (Device.cpu().equals(array.getDevice())) {
        out.add(array);
      } else {
        NDArray copy = host.create(array.getShape(), array.getDataType());
        copy(copy, array);
        copy.setName(array.getName());
        out.add(copy);
      }
    }
    return out;
  }
}
