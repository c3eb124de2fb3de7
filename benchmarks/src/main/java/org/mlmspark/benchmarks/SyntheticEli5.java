package org.mlmspark.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.mlmspark.support.Json;

/**
 * ELI5-shaped rows (HF {@code eli5} layout), shaped like the first 10,000 real r/askscience rows: about 3.7 answers
 * and 450 tokens per question. Words follow Zipf's law over a vocabulary of {@value #VOCABULARY} types (common
 * English and science words first, then words made of those with prefixes and suffixes), as word frequencies in
 * real text do: a tokenizer's word cache sees a realistic share of rare words, not the same few hundred again and
 * again. Deterministic for a seed. {@code bin/generate-eli5} writes such a file; 131,778 rows (the size of
 * {@code train_asks}) make 294 MB and 59.6 M tokens with distilroberta-base's tokenizer, about 30 % more tokens
 * than the full real split (286 MB, 45 M tokens).
 */
public final class SyntheticEli5 {
  private static final String[] COMMON_WORDS = (
      "the a of and to in is it that as for with was on are this by be or not but because which when why how an "
          + "atom cell energy light star planet ocean water wave field force mass gravity orbit galaxy universe "
          + "electron proton neutron photon quantum particle spin charge voltage current magnet heat temperature "
          + "pressure entropy molecule bond reaction acid base protein dna gene virus bacteria immune blood "
          + "brain neuron evolution fossil climate cloud rain ice rock volcano earthquake moon sun time space "
          + "speed frequency radiation black hole relativity theory experiment measure does could would should "
          + "were very much more less small large fast slow hot cold bright dark")
      .split(" ");
  private static final String[] PREFIXES = "re un pre micro thermo bio geo electro photo hydro neuro astro".split(" ");
  private static final String[] SUFFIXES = "s ation ism ity ic al ed ing ly ous ive er ology".split(" ");
  /** Where the science words start in COMMON_WORDS: the roots of made-up words. */
  private static final int ROOTS_FROM = Arrays.asList(COMMON_WORDS).indexOf("atom");
  private static final int VOCABULARY = 200_000;
  /** Zipf's exponent for word ranks in English text. */
  private static final double ZIPF_EXPONENT = 1.1;
  private static final Vocabulary WORDS = new Vocabulary();
  private static final ObjectMapper JSON = Json.mapper();

  private SyntheticEli5() {}

  /** Writes {@code rows} JSON lines; hands over the joined answer text of each row, in order. */
  public static void write(Path file, int rows, long seed, Consumer<String> joinedTexts) throws IOException {
    Random random = new Random(seed);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < rows; i++) {
        ObjectNode record = JSON.createObjectNode();
        record.put("q_id", Long.toString(seed * 1_000_003L + i, 36));
        record.put("title", sentence(random, '?'));
        record.put("selftext", random.nextInt(3) == 0 ? sentence(random, '.') : "");
        record.put("document", "");
        record.put("subreddit", "askscience");
        ObjectNode answers = record.putObject("answers");
        ArrayNode ids = answers.putArray("a_id");
        ArrayNode texts = answers.putArray("text");
        ArrayNode scores = answers.putArray("score");
        int count = 1 + random.nextInt(6);
        List<String> answerTexts = new ArrayList<>(count);
        for (int a = 0; a < count; a++) {
          StringBuilder text = new StringBuilder();
          int sentences = 1 + random.nextInt(7);
          for (int s = 0; s < sentences; s++) {
            text.append(s == 0 ? "" : " ").append(sentence(random, random.nextInt(5) == 0 ? '!' : '.'));
          }
          ids.add(Integer.toString(random.nextInt(1 << 30), 36));
          texts.add(text.toString());
          scores.add(random.nextInt(100));
          answerTexts.add(text.toString());
        }
        record.putObject("title_urls").putArray("url");
        record.putObject("selftext_urls").putArray("url");
        record.putObject("answers_urls").putArray("url");
        out.write(JSON.writeValueAsString(record));
        out.newLine();
        joinedTexts.accept(String.join(" ", answerTexts));
      }
    }
  }

  private static String sentence(Random random, char end) {
    StringBuilder s = new StringBuilder();
    int words = 6 + random.nextInt(20);
    for (int w = 0; w < words; w++) {
      String word = WORDS.draw(random);
      s.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
    }
    return s.append(end).toString();
  }

  /** The word types by rank and their cumulative Zipf probabilities; the same for every seed. */
  private static final class Vocabulary {
    private final String[] words = new String[VOCABULARY];
    private final double[] cumulative = new double[VOCABULARY];

    Vocabulary() {
      Random made = new Random(0);
      double total = 0;
      for (int rank = 0; rank < VOCABULARY; rank++) {
        words[rank] = rank < COMMON_WORDS.length ? COMMON_WORDS[rank] : madeUp(made);
        total += 1 / Math.pow(rank + 1, ZIPF_EXPONENT);
        cumulative[rank] = total;
      }
    }

    String draw(Random random) {
      int at = Arrays.binarySearch(cumulative, random.nextDouble() * cumulative[VOCABULARY - 1]);
      return words[at >= 0 ? at : Math.min(-at - 1, VOCABULARY - 1)];
    }

    /** Rarer words as English makes them: [prefix] root [root] [suffix], e.g. "thermowaveology". */
    private static String madeUp(Random random) {
      StringBuilder word = new StringBuilder();
      if (random.nextBoolean()) {
        word.append(PREFIXES[random.nextInt(PREFIXES.length)]);
      }
      word.append(root(random));
      if (random.nextBoolean()) {
        word.append(root(random));
      }
      if (random.nextInt(4) > 0) {
        word.append(SUFFIXES[random.nextInt(SUFFIXES.length)]);
      }
      return word.toString();
    }

    private static String root(Random random) {
      return COMMON_WORDS[ROOTS_FROM + random.nextInt(COMMON_WORDS.length - ROOTS_FROM)];
    }
  }
}
