package org.mlmspark.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recovers the ordered merge list of a byte-level BPE from its ranks alone, as transformers' tiktoken
 * converter does: a token of rank r was created by the last merge that BPE itself performs on the token's
 * bytes when only merges ranked below r are allowed. That run must stop at exactly two parts, which are the
 * merge's left and right sides; merges are listed in the order of the tokens they create.
 *
 * <p>For GPT-2's r50k ranks this reproduces GPT-2's (= RoBERTa's) merges.txt exactly.
 */
final class BpeMergeRecovery {
  private BpeMergeRecovery() {}

  /**
   * @param ranks byte-level token string → rank, iterated in rank order, single bytes included
   * @return one {@code {left, right}} pair per multi-byte token, in rank order
   */
  static List<String[]> merges(Map<String, Integer> ranks) {
    List<String[]> merges = new ArrayList<>(ranks.size());
    for (Map.Entry<String, Integer> entry : ranks.entrySet()) {
      String token = entry.getKey();
      if (token.length() < 2) {
        continue;
      }
      List<String> parts = bpe(token, entry.getValue(), ranks);
      if (parts.size() != 2) {
        throw new IllegalArgumentException(
            "rank " + entry.getValue() + " is not reachable by one merge of lower-ranked tokens: " + parts);
      }
      merges.add(new String[] {parts.get(0), parts.get(1)});
    }
    return merges;
  }

  /** Plain BPE over single characters (= bytes), merging the lowest-ranked adjacent pair below maxRank. */
  static List<String> bpe(String token, int maxRank, Map<String, Integer> ranks) {
    List<String> parts = new ArrayList<>(token.length());
    for (int i = 0; i < token.length(); i++) {
      parts.add(token.substring(i, i + 1));
    }
    while (parts.size() > 1) {
      int best = -1;
      int bestRank = maxRank;
      for (int i = 0; i + 1 < parts.size(); i++) {
        Integer rank = ranks.get(parts.get(i) + parts.get(i + 1));
        if (rank != null && rank < bestRank) {
          best = i;
          bestRank = rank;
        }
      }
      if (best < 0) {
        break;
      }
      parts.set(best, parts.get(best) + parts.remove(best + 1));
    }
    return parts;
  }
}
