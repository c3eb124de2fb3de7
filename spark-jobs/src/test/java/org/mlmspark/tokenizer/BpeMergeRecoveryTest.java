package org.mlmspark.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlmspark.testing.SharedFixtures;

class BpeMergeRecoveryTest {

  private static Map<String, Integer> ranks(String... tokens) {
    Map<String, Integer> ranks = new LinkedHashMap<>();
    for (String token : tokens) {
      ranks.put(token, ranks.size());
    }
    return ranks;
  }

  @Test
  void recoversTheMergeThatCreatedEachToken() {
    // "abc" is built as "ab"+"c" because "ab" ranks before "bc"; "bcd" as "bc"+"d".
    Map<String, Integer> ranks = ranks("a", "b", "c", "d", "ab", "bc", "abc", "bcd");
    List<String[]> merges = BpeMergeRecovery.merges(ranks);
    assertEquals(4, merges.size());
    assertArrayEquals(new String[] {"a", "b"}, merges.get(0));
    assertArrayEquals(new String[] {"b", "c"}, merges.get(1));
    assertArrayEquals(new String[] {"ab", "c"}, merges.get(2));
    assertArrayEquals(new String[] {"bc", "d"}, merges.get(3));
  }

  @Test
  void rejectsATokenNoSingleMergeCanCreate() {
    // "abc" ranks before both of its possible halves: no merge sequence below its rank yields two parts.
    Map<String, Integer> ranks = ranks("a", "b", "c", "abc", "ab");
    assertThrows(IllegalArgumentException.class, () -> BpeMergeRecovery.merges(ranks));
  }

  @Test
  void gpt2RanksGiveRobertasMergesExactly() throws Exception {
    Path tokenizerJson = SharedFixtures.require("tokenizers/distilroberta-base/tokenizer.json");
    JsonNode expected = new ObjectMapper().readTree(tokenizerJson.toFile()).path("model").path("merges");
    List<String[]> merges = BpeMergeRecovery.merges(TiktokenRanks.parse(TiktokenRanks.r50kBaseFile()));
    assertEquals(expected.size(), merges.size());
    for (int i = 0; i < merges.size(); i++) {
      JsonNode pair = expected.get(i);
      assertArrayEquals(new String[] {pair.get(0).asText(), pair.get(1).asText()}, merges.get(i), "merge " + i);
    }
  }
}
