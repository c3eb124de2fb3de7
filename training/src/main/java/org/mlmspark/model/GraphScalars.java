package org.mlmspark.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant inside a differentiable graph, safe from the garbage collector.
 *
 * <p>DJL's {@code x.mul(2f)} wraps the number in a tensor over a Java direct buffer and closes that tensor as soon
 * as the op returns. Autograd keeps the tensor for backward (d(x·c)/dx = c), but nothing keeps the buffer alive:
 * a garbage collection between forward and backward frees it, and backward multiplies by whatever malloc wrote
 * there since (gradient norms of 1e14, or silently wrong steps). Here the constant lives in memory that torch
 * allocated and the graph owns.
 */
public final class GraphScalars {
  private GraphScalars() {}

  /** {@code x · factor}, differentiable with respect to {@code x} whenever a GC runs before backward. */
  public static NDArray multiply(NDArray x, float factor) {
    try (NDArray constant = x.getManager().full(new Shape(), factor, x.getDataType(), x.getDevice())) {
      return x.mul(constant);
    }
  }
}
