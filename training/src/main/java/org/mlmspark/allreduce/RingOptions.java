package org.mlmspark.allreduce;

import java.time.Duration;

/**
 * Settings every rank of a ring must share (the handshake refuses peers that differ in job id or bucket size).
 *
 * @param jobId names this ring's job and attempt (e.g. Spark application, stage and stage attempt), so a stale
 *     peer of an earlier attempt is refused
 * @param timeout the longest a collective step may go without moving a byte, and the longest ring set-up may
 *     take; must cover the skew between ranks reaching the same collective
 * @param bucketFloats large buffers are reduced in buckets of this many floats, one ring pass each; the
 *     summation order depends on it, hence shared
 * @param socketBufferBytes SO_SNDBUF/SO_RCVBUF; 0 leaves the operating system's autotuning
 */
public record RingOptions(String jobId, Duration timeout, int bucketFloats, int socketBufferBytes) {
  /** 25 MiB buckets, as PyTorch DDP's default {@code bucket_cap_mb}. */
  public static final int DEFAULT_BUCKET_FLOATS = 25 * 1024 * 1024 / Float.BYTES;

  public static final int MAX_BUCKET_FLOATS = Integer.MAX_VALUE / Float.BYTES - 1;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

  public RingOptions {
    if (jobId == null || jobId.isBlank()) {
      throw new IllegalArgumentException("a ring needs a job id");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (bucketFloats < 1 || bucketFloats > MAX_BUCKET_FLOATS) {
      throw new IllegalArgumentException(
          "bucket must hold 1.." + MAX_BUCKET_FLOATS + " floats (one ByteBuffer), got " + bucketFloats);
    }
    if (socketBufferBytes < 0) {
      throw new IllegalArgumentException("socket buffer size must not be negative, got " + socketBufferBytes);
    }
  }

  public static RingOptions of(String jobId) {
    return new RingOptions(jobId, DEFAULT_TIMEOUT, DEFAULT_BUCKET_FLOATS, DEFAULT_SOCKET_BUFFER_BYTES);
  }

  public RingOptions withTimeout(Duration value) {
    return new RingOptions(jobId, value, bucketFloats, socketBufferBytes);
  }

  public RingOptions withBucketFloats(int value) {
    return new RingOptions(jobId, timeout, value, socketBufferBytes);
  }

  public RingOptions withSocketBufferBytes(int value) {
    return new RingOptions(jobId, timeout, bucketFloats, value);
  }
}
