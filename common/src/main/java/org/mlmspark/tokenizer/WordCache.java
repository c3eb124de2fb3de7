package org.mlmspark.tokenizer;

import java.util.Arrays;

/**
 * Pre-token → token ids, for one thread: where the encoder's speed comes from (natural text repeats a few
 * thousand words). Looked up by a range of the caller's text, so a hit allocates nothing. Bounded: when full
 * it starts over, which keeps memory fixed and adapts to a new text distribution.
 */
final class WordCache {
  /** Longer pre-tokens are rare and would mostly waste slots. */
  static final int MAX_WORD_CHARS = 48;

  private final String[] words;
  private final int[] hashes;
  private final int[][] ids;
  private final int mask;
  private final int maxEntries;
  private int entries;

  /** @param maxEntries rounded up so the table stays at most half full */
  WordCache(int maxEntries) {
    int capacity = Integer.highestOneBit(Math.max(maxEntries, 2) - 1) << 2;
    words = new String[capacity];
    hashes = new int[capacity];
    ids = new int[capacity][];
    mask = capacity - 1;
    this.maxEntries = capacity / 2;
  }

  /** Hash of {@code text[start, end)}, equal to {@code String.hashCode} of that substring. */
  static int hash(String text, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) {
      h = 31 * h + text.charAt(i);
    }
    return h;
  }

  /** The ids cached for {@code text[start, end)} whose {@link #hash} is {@code hash}, or null. */
  int[] get(String text, int start, int end, int hash) {
    int length = end - start;
    for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
      String word = words[slot];
      if (word == null) {
        return null;
      }
      if (hashes[slot] == hash && word.length() == length && word.regionMatches(0, text, start, length)) {
        return ids[slot];
      }
    }
  }

  void put(String word, int hash, int[] wordIds) {
    if (entries >= maxEntries) {
      Arrays.fill(words, null);
      Arrays.fill(ids, null);
      entries = 0;
    }
    int slot = spread(hash) & mask;
    while (words[slot] != null) {
      slot = (slot + 1) & mask;
    }
    words[slot] = word;
    hashes[slot] = hash;
    ids[slot] = wordIds;
    entries++;
  }

  int size() {
    return entries;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16) ^ (h >>> 7);
  }
}
