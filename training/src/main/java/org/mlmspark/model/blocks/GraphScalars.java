package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant inside a differentiable graph, safe from the garbage collector.
 *
 * <p>DJL's {@code x.mul(2f)} wraps the number in a tensor over a Java direct buffer and closes that tensor as soon
 * as the op returns. Autograd keeps the tensor for backward (d(x·c)/dx = c), but nothing keeps the buffer alive:
 * a garbage collection between forward and backward frees it, and backward multiplies by whatever malloc wrote
 * there since (gradient norms of 1e14, or silently wrong steps). Here the constant lives in memory that torch
 * allocated and the graph owns.
 *
 * <p>The constants are filled in on the tensor's device ({@code torch::full}): a number given to DJL is uploaded
 * from the host, which on a GPU is a blocking copy per operation.
 */
public final class GraphScalars {
  private GraphScalars() {}

  /** {@code x · factor}, differentiable with respect to {@code x} whenever a GC runs before backward. */
  public static NDArray multiply(NDArray x, float factor) {
    try (NDArray constant = constant(x, factor)) {
      return x.mul(constant);
    }
  }

  /** {@code x + value}, as {@link #multiply}. */
  public static NDArray add(NDArray x, float value) {
    try (NDArray constant = constant(x, value)) {
      return x.add(constant);
    }
  }

  /** {@code x == value} element-wise (integer ids, masks). */
  public static NDArray equal(NDArray x, float value) {
    try (NDArray constant = constant(x, value)) {
      return x.eq(constant);
    }
  }

  /** {@code x != value} element-wise. */
  public static NDArray notEqual(NDArray x, float value) {
    try (NDArray constant = constant(x, value)) {
      return x.neq(constant);
    }
  }

  /** A 0-d tensor of {@code x}'s type on {@code x}'s device, in {@code x}'s manager. */
  public static NDArray constant(NDArray x, float value) {
    return constant(x, value, x.getDataType());
  }

  /** A 0-d tensor of {@code type} on {@code x}'s device, in {@code x}'s manager. */
  public static NDArray constant(NDArray x, float value, DataType type) {
    return x.getManager().full(new Shape(), value, type, x.getDevice());
  }
}
