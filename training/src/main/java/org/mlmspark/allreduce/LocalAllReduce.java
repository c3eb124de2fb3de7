package org.mlmspark.allreduce;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** World size 1: the sum and the average of one rank's buffer are the buffer itself. */
public final class LocalAllReduce implements AllReduce {
  @Override
  public int rank() {
    return 0;
  }

  @Override
  public int worldSize() {
    return 1;
  }

  @Override
  public CompletableFuture<Void> sumAsync(ByteBuffer floats) {
    FloatBuffers.view(floats);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> averageAsync(ByteBuffer floats) {
    return sumAsync(floats);
  }

  @Override
  public void barrier() {}

  @Override
  public void close() {}
}
