package org.mlmspark.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlmspark.testing.TestData;
import org.mlmspark.tokenizer.TokenIdEncoder.Engine;

/**
 * The Java encoder gives exactly HF's native ids (through DJL) on real, synthetic and adversarial texts, for
 * the distilroberta-base tokenizer, both built-in tokenizers, and variants exercising the other options of
 * the shape it accepts.
 */
class ByteLevelBpeParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static List<String> corpus;
  private static List<String> adversarial;
  private static byte[] distilroberta;

  @BeforeAll
  static void texts() throws IOException {
    distilroberta = Files.readAllBytes(TestData.distilrobertaTokenizer().resolve("tokenizer.json"));
    corpus = new ArrayList<>();
    eli5Texts(TestData.require("fixtures/hf/preprocess/eli5_askscience_synthetic.jsonl.gz"));
    try (Stream<Path> files = Files.list(TestData.require("data/eli5_category_sample"))) {
      for (Path file : files.sorted().toList()) {
        eli5Texts(file);
      }
    }
    eli5Texts(TestData.projectRoot().resolve("data/eli5-sample/askscience_sample.jsonl"));
    adversarial = AdversarialTexts.generate(20_240_611, 3_000);
  }

  /** Title, selftext and the joined answers (what the job tokenizes) of every row. */
  private static void eli5Texts(Path jsonl) throws IOException {
    for (String line : TestData.lines(jsonl)) {
      JsonNode row = JSON.readTree(line);
      corpus.add(row.path("title").asText());
      corpus.add(row.path("selftext").asText());
      List<String> answers = new ArrayList<>();
      row.path("answers").path("text").forEach(answer -> answers.add(answer.asText()));
      corpus.add(String.join(" ", answers));
    }
  }

  /** Asserts equal ids on every text; returns the number of tokens compared. */
  private static long assertSameIds(byte[] tokenizerJson, List<String> texts) throws IOException {
    try (TokenIdEncoder java = TokenIdEncoder.load(tokenizerJson, Engine.JAVA);
        TokenIdEncoder nativeIds = TokenIdEncoder.load(tokenizerJson, Engine.NATIVE)) {
      String[] all = texts.toArray(String[]::new);
      int[][] expected = nativeIds.encode(all);
      int[][] actual = java.encode(all);
      long tokens = 0;
      for (int i = 0; i < all.length; i++) {
        String text = all[i];
        assertArrayEquals(expected[i], actual[i], () -> "ids of: " + escape(text));
        tokens += actual[i].length;
      }
      return tokens;
    }
  }

  private static String escape(String text) {
    StringBuilder s = new StringBuilder();
    text.codePoints().forEach(cp -> s.append(cp >= 0x20 && cp < 0x7f ? Character.toString(cp) : String.format("\\u{%x}", cp)));
    return s.toString();
  }

  private static List<String> everything() {
    List<String> texts = new ArrayList<>(corpus);
    texts.addAll(adversarial);
    return texts;
  }

  /** The adversarial texts and every tenth corpus text: for the variants, whose code paths are few. */
  private static List<String> someOfEverything() {
    List<String> texts = new ArrayList<>(adversarial);
    for (int i = 0; i < corpus.size(); i += 10) {
      texts.add(corpus.get(i));
    }
    return texts;
  }

  private static byte[] variant(Consumer<ObjectNode> change) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(distilroberta);
    change.accept(root);
    return JSON.writeValueAsBytes(root);
  }

  @Test
  void distilrobertaOnTheFixturesRealRowsSampleAndAdversarialTexts() throws IOException {
    long tokens = assertSameIds(distilroberta, everything());
    assertTrue(corpus.size() > 5_000 && tokens > 1_000_000, corpus.size() + " texts, " + tokens + " tokens");
    assertEquals(Engine.JAVA, TokenIdEncoder.load(distilroberta).engine());
  }


  @Test
  void addPrefixSpaceInsideASequenceWithATemplateAndLegacyMerges() throws IOException {
    byte[] json = variant(root -> {
      ObjectNode byteLevel = (ObjectNode) root.get("pre_tokenizer");
      byteLevel.put("add_prefix_space", true);
      root.putObject("pre_tokenizer").put("type", "Sequence").putArray("pretokenizers").add(byteLevel);
      // "$A </s> </s>" after "<s>", with a two-id special token.
      ObjectNode post = root.putObject("post_processor");
      post.put("type", "TemplateProcessing");
      ArrayNode single = post.putArray("single");
      single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
      single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
      single.addObject().putObject("SpecialToken").put("id", "</s></s>").put("type_id", 0);
      post.putArray("pair");
      ObjectNode specials = post.putObject("special_tokens");
      ObjectNode cls = specials.putObject("<s>").put("id", "<s>");
      cls.putArray("ids").add(0);
      cls.putArray("tokens").add("<s>");
      ObjectNode sep = specials.putObject("</s></s>").put("id", "</s></s>");
      sep.putArray("ids").add(2).add(2);
      sep.putArray("tokens").add("</s>").add("</s>");
      ArrayNode merges = JSON.createArrayNode();
      root.path("model").path("merges").forEach(m -> merges.add(m.get(0).asText() + " " + m.get(1).asText()));
      ((ObjectNode) root.get("model")).set("merges", merges);
    });
    assertSameIds(json, someOfEverything());
  }

  @Test
  void addedTokensWithSingleWordRstripAndTokensOutsideTheVocabulary() throws IOException {
    byte[] json = variant(root -> {
      ArrayNode added = (ArrayNode) root.get("added_tokens");
      ObjectNode mask = (ObjectNode) added.get(4);
      mask.put("single_word", true).put("rstrip", true);
      // Contents missing from the model vocabulary get the ids after it, as HF numbers them.
      added.addObject().put("id", 50265).put("content", "<sep_x>").put("single_word", false).put("lstrip", false)
          .put("rstrip", false).put("normalized", true).put("special", false);
      added.addObject().put("id", 50266).put("content", "galaxy").put("single_word", false).put("lstrip", true)
          .put("rstrip", true).put("normalized", false).put("special", false);
      root.putNull("post_processor");
    });
    List<String> texts = someOfEverything();
    texts.addAll(List.of("a <sep_x> b", "the galaxy's arm", "galaxy<mask>galaxy", "x <mask> y", "x<mask> y",
        "x <mask>y", "\u00e9<mask>", "<mask>\u3000\t"));
    assertSameIds(json, texts);
  }

  @Test
  void theFirstDifferenceWouldBeReported() throws IOException {
    // The comparison is real: a tokenizer with one merge fewer must disagree with distilroberta somewhere.
    byte[] lessMerges = variant(root -> ((ArrayNode) root.path("model").path("merges")).remove(0));
    try (TokenIdEncoder changed = TokenIdEncoder.load(lessMerges, Engine.JAVA);
        TokenIdEncoder original = TokenIdEncoder.load(distilroberta, Engine.NATIVE)) {
      String text = "the tea at the table";
      assertTrue(changed.encode(text).length > original.encode(text).length, "\" t\" is distilroberta's first merge");
    }
  }
}
