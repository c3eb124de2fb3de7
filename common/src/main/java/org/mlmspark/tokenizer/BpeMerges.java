package org.mlmspark.tokenizer;

import java.util.Arrays;

/**
 * BPE's merge step over token ids, as HF tokenizers' {@code Word::merge_all} does it: repeatedly merge the
 * adjacent pair with the lowest merge rank, the leftmost one among equals, until no adjacent pair has a merge.
 * A priority queue keeps long words (a 100 kB run of '=' is one pre-token) near-linear.
 *
 * <p>Immutable after construction and shared by all threads; {@link #merge} works on the caller's arrays.
 */
final class BpeMerges {
  private static final long EMPTY = -1L;

  /** Open addressing: key {@code left << 32 | right}, value {@code rank << 32 | mergedId}. */
  private final long[] keys;
  private final long[] values;
  private final int mask;

  /**
   * @param pairs {@code {leftId, rightId, mergedId}} per merge, in rank order; a pair listed twice keeps its
   *     last rank, as HF's map does
   */
  BpeMerges(int[][] pairs) {
    int capacity = Integer.highestOneBit(Math.max(2, pairs.length) * 2) * 2;
    keys = new long[capacity];
    values = new long[capacity];
    mask = capacity - 1;
    Arrays.fill(keys, EMPTY);
    for (int rank = 0; rank < pairs.length; rank++) {
      int[] pair = pairs[rank];
      long key = key(pair[0], pair[1]);
      int slot = slot(key);
      while (keys[slot] != EMPTY && keys[slot] != key) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = key;
      values[slot] = (long) rank << 32 | pair[2];
    }
  }

  /** {@code rank << 32 | mergedId} of the pair, or -1 when it has no merge. */
  long lookup(int left, int right) {
    long key = key(left, right);
    for (int slot = slot(key); ; slot = (slot + 1) & mask) {
      long k = keys[slot];
      if (k == key) {
        return values[slot];
      }
      if (k == EMPTY) {
        return -1;
      }
    }
  }

  /**
   * Merges {@code ids[0..length)} in place.
   *
   * @return the number of ids left at the front of {@code ids}
   */
  int merge(int[] ids, int length) {
    if (length < 2) {
      return length;
    }
    int[] next = new int[length];
    int[] prev = new int[length];
    // Min-heap of rank << 32 | position: lowest rank first, then leftmost, as HF's queue orders merges.
    long[] heap = new long[2 * length];
    int heapSize = 0;
    for (int i = 0; i < length; i++) {
      next[i] = i + 1 < length ? i + 1 : -1;
      prev[i] = i - 1;
      if (i + 1 < length) {
        long found = lookup(ids[i], ids[i + 1]);
        if (found >= 0) {
          heapSize = push(heap, heapSize, (found & 0xFFFF_FFFF_0000_0000L) | i);
        }
      }
    }
    while (heapSize > 0) {
      long top = heap[0];
      heapSize = pop(heap, heapSize);
      int pos = (int) top;
      int right = next[pos];
      if (ids[pos] < 0 || right < 0) {
        continue; // merged away, or nothing on its right anymore
      }
      long found = lookup(ids[pos], ids[right]);
      if (found < 0 || (found >>> 32) != (top >>> 32)) {
        continue; // a neighbour changed since this entry was queued
      }
      ids[pos] = (int) found;
      ids[right] = -1;
      int after = next[right];
      next[pos] = after;
      if (after >= 0) {
        prev[after] = pos;
        long withNext = lookup(ids[pos], ids[after]);
        if (withNext >= 0) {
          heapSize = push(heap, heapSize, (withNext & 0xFFFF_FFFF_0000_0000L) | pos);
        }
      }
      int before = prev[pos];
      if (before >= 0) {
        long withPrev = lookup(ids[before], ids[pos]);
        if (withPrev >= 0) {
          heapSize = push(heap, heapSize, (withPrev & 0xFFFF_FFFF_0000_0000L) | before);
        }
      }
    }
    int kept = 0;
    for (int i = 0; i >= 0; i = next[i]) {
      ids[kept++] = ids[i];
    }
    return kept;
  }

  private static long key(int left, int right) {
    return (long) left << 32 | (right & 0xFFFF_FFFFL);
  }

  private int slot(long key) {
    long h = key * 0x9E37_79B9_7F4A_7C15L;
    return (int) (h ^ (h >>> 29)) & mask;
  }

  /** Each merge pops one entry and queues at most two: the heap never exceeds {@code 2 * length}. */
  private static int push(long[] heap, int size, long entry) {
    int i = size;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent] <= entry) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
    return size + 1;
  }

  private static int pop(long[] heap, int size) {
    long last = heap[--size];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= last) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
    return size;
  }
}
