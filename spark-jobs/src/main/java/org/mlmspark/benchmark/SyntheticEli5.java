package org.mlmspark.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * ELI5-shaped rows (HF {@code eli5} layout) of random science words, sized like the real r/askscience rows:
 * about 3.7 answers and 2,600 characters of joined answer text per question. Deterministic for a seed.
 */
final class SyntheticEli5 {
  private static final String[] WORDS = (
      "atom cell energy light star planet ocean water wave field force mass gravity orbit galaxy universe "
          + "electron proton neutron photon quantum particle spin charge voltage current magnet heat temperature "
          + "pressure entropy molecule bond reaction acid base protein dna gene virus bacteria immune blood "
          + "brain neuron evolution fossil climate cloud rain ice rock volcano earthquake moon sun time space "
          + "speed frequency radiation black hole relativity theory experiment measure because when why how "
          + "the a an of in on to for with as and or but not does could would should is are was were it this "
          + "that which very much more less small large fast slow hot cold bright dark")
      .split(" ");
  private static final ObjectMapper JSON = new ObjectMapper();

  private SyntheticEli5() {}

  /** Writes {@code rows} JSON lines; returns the joined answer text of each row, in order. */
  static List<String> write(Path file, int rows, long seed) throws IOException {
    Random random = new Random(seed);
    List<String> joined = new ArrayList<>(rows);
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
          int sentences = 2 + random.nextInt(12);
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
        joined.add(String.join(" ", answerTexts));
      }
    }
    return joined;
  }

  private static String sentence(Random random, char end) {
    StringBuilder s = new StringBuilder();
    int words = 6 + random.nextInt(20);
    for (int w = 0; w < words; w++) {
      String word = WORDS[random.nextInt(WORDS.length)];
      s.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
    }
    return s.append(end).toString();
  }
}
