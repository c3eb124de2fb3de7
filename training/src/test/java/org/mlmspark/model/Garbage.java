package org.mlmspark.model;

/** Test helper: a full GC, then time for the JDK to free the direct buffers it found unreachable. */
final class Garbage {
  private Garbage() {}

  static void collect() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
  }
}
