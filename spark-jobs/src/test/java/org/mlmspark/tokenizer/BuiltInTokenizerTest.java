package org.mlmspark.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.testing.SharedFixtures;

class BuiltInTokenizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Texts that stress the pre-tokenizer and byte-level alphabet beyond the ELI5 fixture's English. */
  private static final List<String> EDGE_TEXTS = List.of(
      "The Milky Way is a <mask> galaxy.",
      "Ünïcödé café naïve façade — “curly quotes” and ‘single’ ones…",
      "日本語のテキストと中文文本，还有한국어 텍스트.",
      "Emoji 😀🚀🧬 and a ZWJ family 👩‍👩‍👧 plus flags 🇺🇸.",
      "Ελληνικά, русский текст, עברית, العربية, हिन्दी.",
      "  leading spaces,   runs   of spaces,\n\nnewlines\tand\ttabs   ",
      "Numbers 3.14159, 1,000,000 and 6.022e23; H2O + CO2 -> H2CO3.",
      "Contractions: it's, we'll, they'd, I'm, you've, don't, O'Neil's.",
      "Code-like text: foo_bar(baz) == {\"key\": [1, 2]} // comment",
      "Literal specials <s> and </s> inside text, and <pad><unk> too.",
      "e=mc² ∑ ∫ ∞ ≠ ≈ µm Å °C ½",
      "");

  /** The edge texts, then title, selftext and joined answers of the ELI5 fixture and of the bundled sample. */
  private static List<String> textsToCompare() throws Exception {
    List<String> texts = new ArrayList<>(EDGE_TEXTS);
    Path fixture = SharedFixtures.require("fixtures/hf/preprocess/eli5_askscience_synthetic.jsonl");
    Path sample = SharedFixtures.projectRoot().resolve("data/eli5-sample/askscience_sample.jsonl");
    for (Path eli5 : List.of(fixture, sample)) {
      try (BufferedReader lines = Files.newBufferedReader(eli5)) {
        String line;
        while ((line = lines.readLine()) != null) {
          JsonNode row = JSON.readTree(line);
          texts.add(row.get("title").asText());
          texts.add(row.get("selftext").asText());
          List<String> answers = new ArrayList<>();
          row.path("answers").path("text").forEach(answer -> answers.add(answer.asText()));
          texts.add(String.join(" ", answers));
        }
      }
    }
    return texts;
  }

  private static HuggingFaceTokenizer load(Path tokenizerJson) throws Exception {
    return HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson).optTruncation(false).optPadding(false)
        .build();
  }

  private static Map<String, Integer> vocabulary(byte[] tokenizerJson) throws Exception {
    Map<String, Integer> vocab = new HashMap<>();
    JSON.readTree(tokenizerJson).path("model").path("vocab").fields()
        .forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
    return vocab;
  }

  @Test
  void robertaStandInSegmentsExactlyLikeDistilroberta(@TempDir Path dir) throws Exception {
    Path robertaFile = SharedFixtures.require("tokenizers/distilroberta-base/tokenizer.json");
    byte[] builtIn = BuiltInTokenizer.ROBERTA_LAYOUT.json();
    Path builtInFile = Files.write(dir.resolve("tokenizer.json"), builtIn);
    Map<String, Integer> robertaVocab = vocabulary(Files.readAllBytes(robertaFile));
    Map<String, Integer> builtInVocab = vocabulary(builtIn);
    Map<String, Integer> specials = BuiltInTokenizer.ROBERTA_LAYOUT.specialTokens();

    List<String> texts = textsToCompare();
    long tokens = 0;
    try (HuggingFaceTokenizer roberta = load(robertaFile); HuggingFaceTokenizer standIn = load(builtInFile)) {
      Encoding[] expectedAll = roberta.batchEncode(texts);
      Encoding[] actualAll = standIn.batchEncode(texts);
      for (int t = 0; t < texts.size(); t++) {
        String text = texts.get(t);
        Encoding expected = expectedAll[t];
        Encoding actual = actualAll[t];
        assertArrayEquals(expected.getTokens(), actual.getTokens(), () -> "segmentation of: " + text);
        String[] strings = actual.getTokens();
        for (int i = 0; i < strings.length; i++) {
          // An lstrip token (<mask>) comes back with the space it swallowed; the vocabulary spells it bare.
          String token = specials.containsKey(strings[i].strip()) ? strings[i].strip() : strings[i];
          assertEquals(robertaVocab.get(token), (int) expected.getIds()[i], token);
          assertEquals(builtInVocab.get(token), (int) actual.getIds()[i], token);
        }
        assertArrayEquals(expected.getSpecialTokenMask(), actual.getSpecialTokenMask(), text);
        tokens += strings.length;
      }
    }
    assertTrue(texts.size() > 4000 && tokens > 500_000, "compared " + texts.size() + " texts, " + tokens + " tokens");
  }

  @Test
  void robertaStandInHasRobertasSpecialIdsAndGpt2TokensFourPlacesOn(@TempDir Path dir) throws Exception {
    BuiltInTokenizer standIn = BuiltInTokenizer.ROBERTA_LAYOUT;
    Path file = Files.write(dir.resolve("tokenizer.json"), standIn.json());
    var gpt2 = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
    try (HuggingFaceTokenizer tokenizer = load(file)) {
      Encoding encoding = tokenizer.encode("The Milky Way is a <mask> galaxy.");
      // <mask> is lstrip: it takes the space before it, so the next word keeps its own leading space.
      assertArrayEquals(
          new String[] {"<s>", "The", "ĠMilky", "ĠWay", "Ġis", "Ġa", " <mask>", "Ġgalaxy", ".", "</s>"},
          encoding.getTokens());
      long[] ids = encoding.getIds();
      assertEquals(0, ids[0]);
      assertEquals(50260, ids[6]);
      assertEquals(2, ids[9]);
      // " is" is GPT-2 id 318: ordinary tokens are GPT-2's ids + 4.
      assertEquals(318 + 4, ids[4]);

      // Texts with a literal special token are left out: GPT-2 reads "<s>" as three ordinary tokens.
      List<String> texts = textsToCompare().stream()
          .filter(text -> standIn.specialTokens().keySet().stream().noneMatch(text::contains)).limit(2000).toList();
      Encoding[] encodings = tokenizer.batchEncode(texts, false, false);
      for (int t = 0; t < texts.size(); t++) {
        long[] expected = Arrays.stream(gpt2.encodeOrdinary(texts.get(t)).toArray()).mapToLong(rank -> rank + 4L).toArray();
        assertArrayEquals(expected, encodings[t].getIds(), texts.get(t));
      }
    }
    assertEquals(List.of("<s>", "<pad>", "</s>", "<unk>", "<mask>"), List.copyOf(standIn.specialTokens().keySet()));
    assertEquals(Map.of("<s>", 0, "<pad>", 1, "</s>", 2, "<unk>", 3, "<mask>", 50260), standIn.specialTokens());
    assertEquals(50261, standIn.vocabularySize());
    Map<String, Integer> vocab = vocabulary(standIn.json());
    assertEquals(50261, vocab.size());
    assertEquals(50261, new java.util.TreeSet<>(vocab.values()).size());
    assertEquals(50260, (int) java.util.Collections.max(vocab.values()));
  }

  @Test
  void robertaStandInDirectoryNamesTheSpecialTokensRolesLikeRobertasTokenizerConfig() throws Exception {
    Path directory = BuiltInTokenizer.ROBERTA_LAYOUT.directory();
    assertArrayEquals(BuiltInTokenizer.ROBERTA_LAYOUT.json(), Files.readAllBytes(directory.resolve("tokenizer.json")));
    JsonNode ours = JSON.readTree(directory.resolve("tokenizer_config.json").toFile());
    JsonNode roberta = JSON.readTree(SharedFixtures.require("tokenizers/distilroberta-base/tokenizer_config.json")
        .toFile());
    for (String field : List.of("tokenizer_class", "model_max_length", "bos_token", "eos_token", "sep_token",
        "cls_token", "unk_token", "pad_token", "mask_token", "add_prefix_space")) {
      assertEquals(roberta.get(field), ours.get(field), field);
    }
  }

  @Test
  void gpt2StandInEncodesLikeJtokkitsOwnGpt2Encoder(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("tokenizer.json"), BuiltInTokenizer.GPT2.json());
    var reference = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
    List<String> texts = textsToCompare();
    try (HuggingFaceTokenizer gpt2 = load(file)) {
      Encoding[] encodings = gpt2.batchEncode(texts);
      for (int t = 0; t < texts.size(); t++) {
        String text = texts.get(t);
        long[] expected = Arrays.stream(reference.encodeOrdinary(text).toArray()).asLongStream().toArray();
        assertArrayEquals(expected, encodings[t].getIds(), () -> "ids of: " + text);
      }
    }
  }

  @Test
  void theGeneratedJsonIsTheSameEveryTimeSoManifestHashesAreStable() {
    BuiltInTokenizer standIn = BuiltInTokenizer.ROBERTA_LAYOUT;
    assertArrayEquals(standIn.build(), standIn.json());
  }

  @Test
  void choosesTheStandInByHubId() {
    assertEquals(Optional.of(BuiltInTokenizer.ROBERTA_LAYOUT),
        BuiltInTokenizer.standingInFor("distilroberta-base"));
    assertEquals(Optional.of(BuiltInTokenizer.ROBERTA_LAYOUT),
        BuiltInTokenizer.standingInFor("FacebookAI/roberta-base"));
    assertEquals(Optional.of(BuiltInTokenizer.GPT2), BuiltInTokenizer.standingInFor("openai-community/gpt2"));
    assertEquals(Optional.empty(), BuiltInTokenizer.standingInFor("bert-base-uncased"));
  }
}
