package org.mlmspark.tokenizer;

import java.util.Arrays;

/**
 * Token ids of HF's byte-level BPE pipeline (GPT-2, RoBERTa and their family), in plain Java: added tokens
 * split out ({@link AddedTokenSplitter}), each remaining piece pre-tokenized ({@link Gpt2PreTokenizer}), each
 * pre-token's UTF-8 bytes turned into the ids of their byte-level characters and merged ({@link BpeMerges}),
 * special tokens around the result ({@link SingleSequenceTemplate}). Only ids are produced: no token
 * strings, offsets or masks, no JNI copies.
 *
 * <p>Thread-safe: the tables are immutable, and each thread keeps its own {@link WordCache} and buffers, so
 * threads never wait on each other. Built from a tokenizer.json by {@link ByteLevelBpeJson}.
 */
final class ByteLevelBpeEncoder {
  static final int CACHE_WORDS = 1 << 16;

  private final int[] byteIds;
  private final BpeMerges merges;
  private final AddedTokenSplitter addedTokens;
  private final boolean addPrefixSpace;
  private final SingleSequenceTemplate template;
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /**
   * @param byteIds the vocabulary id of each byte's {@link ByteLevelAlphabet} character, by byte value
   * @param addPrefixSpace the ByteLevel pre-tokenizer's flag: a space before every piece not starting with one
   */
  ByteLevelBpeEncoder(int[] byteIds, BpeMerges merges, AddedTokenSplitter addedTokens, boolean addPrefixSpace,
      SingleSequenceTemplate template) {
    if (byteIds.length != 256) {
      throw new IllegalArgumentException("need the ids of all 256 bytes, got " + byteIds.length);
    }
    this.byteIds = byteIds.clone();
    this.merges = merges;
    this.addedTokens = addedTokens;
    this.addPrefixSpace = addPrefixSpace;
    this.template = template;
  }

  /** Per-thread state: reused buffers and the word cache. */
  private static final class Scratch {
    final WordCache cache = new WordCache(CACHE_WORDS);
    final AddedTokenSplitter.Segments segments = new AddedTokenSplitter.Segments();
    int[] out = new int[1024];
    int size;
    int[] word = new int[256];

    void add(int id) {
      if (size == out.length) {
        out = Arrays.copyOf(out, size * 2);
      }
      out[size++] = id;
    }

    void addAll(int[] ids, int count) {
      if (size + count > out.length) {
        out = Arrays.copyOf(out, Math.max(out.length * 2, size + count));
      }
      System.arraycopy(ids, 0, out, size, count);
      size += count;
    }
  }

  int[] encode(String text) {
    text = JniText.asNativeReceives(text);
    Scratch s = scratch.get();
    s.size = 0;
    s.addAll(template.prefix(), template.prefix().length);
    AddedTokenSplitter.Segments segments = s.segments;
    segments.clear();
    addedTokens.split(text, segments);
    for (int i = 0; i < segments.size(); i += 3) {
      int id = segments.id(i);
      if (id == AddedTokenSplitter.Segments.TEXT) {
        encodePiece(text, segments.start(i), segments.end(i), s);
      } else {
        s.add(id);
      }
    }
    s.addAll(template.suffix(), template.suffix().length);
    return Arrays.copyOf(s.out, s.size);
  }

  private void encodePiece(String text, int start, int end, Scratch s) {
    if (addPrefixSpace && text.charAt(start) != ' ') {
      text = " " + text.substring(start, end);
      end = text.length();
      start = 0;
    }
    for (int pos = start; pos < end; ) {
      int wordEnd = Gpt2PreTokenizer.end(text, pos, end);
      encodeWord(text, pos, wordEnd, s);
      pos = wordEnd;
    }
  }

  private void encodeWord(String text, int start, int end, Scratch s) {
    boolean cacheable = end - start <= WordCache.MAX_WORD_CHARS;
    int hash = 0;
    if (cacheable) {
      hash = WordCache.hash(text, start, end);
      int[] cached = s.cache.get(text, start, end, hash);
      if (cached != null) {
        s.addAll(cached, cached.length);
        return;
      }
    }
    int maxBytes = 3 * (end - start); // UTF-8: at most 3 bytes per UTF-16 char
    if (s.word.length < maxBytes) {
      s.word = new int[Math.max(maxBytes, 2 * s.word.length)];
    }
    int[] ids = s.word;
    int n = byteIdsOf(text, start, end, ids);
    n = merges.merge(ids, n);
    if (cacheable) {
      s.cache.put(text.substring(start, end), hash, Arrays.copyOf(ids, n));
    }
    s.addAll(ids, n);
  }

  /** UTF-8 of {@code text[start, end)}, each byte as its vocabulary id (no unpaired surrogates by now). */
  private int byteIdsOf(String text, int start, int end, int[] ids) {
    int n = 0;
    for (int i = start; i < end; i++) {
      int c = text.charAt(i);
      if (c < 0x80) {
        ids[n++] = byteIds[c];
      } else if (c < 0x800) {
        ids[n++] = byteIds[0xC0 | (c >> 6)];
        ids[n++] = byteIds[0x80 | (c & 0x3F)];
      } else if (Character.isHighSurrogate((char) c)) {
        int cp = Character.toCodePoint((char) c, text.charAt(++i));
        ids[n++] = byteIds[0xF0 | (cp >> 18)];
        ids[n++] = byteIds[0x80 | ((cp >> 12) & 0x3F)];
        ids[n++] = byteIds[0x80 | ((cp >> 6) & 0x3F)];
        ids[n++] = byteIds[0x80 | (cp & 0x3F)];
      } else {
        ids[n++] = byteIds[0xE0 | (c >> 12)];
        ids[n++] = byteIds[0x80 | ((c >> 6) & 0x3F)];
        ids[n++] = byteIds[0x80 | (c & 0x3F)];
      }
    }
    return n;
  }
}
