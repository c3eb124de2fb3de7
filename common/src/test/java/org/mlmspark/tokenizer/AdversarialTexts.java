package org.mlmspark.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random texts aimed at the corners of byte-level BPE tokenization: every kind of Unicode whitespace,
 * CJK, emoji and other surrogate pairs, combining marks, digits inside words, upper-case contractions, added
 * tokens in every position, very long words, unpaired surrogates and random code points of all planes.
 */
final class AdversarialTexts {
  private static final String[] FRAGMENTS = {
    "the", "The", "galaxy", "GALAXY", "naïve", "café", "Straße", "ǅemal", "ΣΊΣΥΦΟΣ", "русский", "עברית", "العربية",
    "हिन्दी", "ไทย", "日本語", "中文文本", "한국어", "ｆｕｌｌｗｉｄｔｈ", "ﬁ", "x86_64", "H2O", "CO2", "3.14159",
    "1,000,000", "6.022e23", "٣٤٥", "²³", "½", "Ⅻ", "0x1F", "12ab34", "a1b2c3",
    "'s", "'S", "'t", "'T", "'re", "'RE", "'ve", "'Ve", "'m", "'M", "'ll", "'LL", "'d", "'D", "n't", "N'T", "'",
    "''", "'sun", "O'Neil's", "rock'n'roll",
    " ", "  ", "   ", "    ", "\t", "\t\t", "\n", "\r\n", "\n\n", "\r", "\u000b", "\u000c", "\u001c", "\u001f",
    "\u0085", "\u00a0", "\u1680", "\u180e", "\u2000", "\u2007", "\u2009", "\u200a", "\u200b", "\u2028", "\u2029",
    "\u202f", "\u205f", "\u3000", "\ufeff", " \u00a0", "\u00a0 ", "\u3000 ", " \t ",
    "😀", "🚀🧬", "👩‍👩‍👧", "🇺🇸", "👍🏽", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𐌰𐌱", "🀄", "\ud83d\ude00\ud83d\ude00",
    "e\u0301", "a\u0308\u0323", "\u0301", "\u0301\u0301", "ग्", "ñ", "n\u0303",
    "<mask>", " <mask>", "<mask> ", "  <mask>", "\t<mask>", "\u3000<mask>", "<mask><mask>", "<s>", "</s>", "<pad>",
    "<unk>", "<mask", "mask>", "<", ">", "</", "<<mask>>", "<|endoftext|>",
    "...", "?!", "--", "—", "“quoted”", "‘single’", "…", "(", ")", "{\"key\": [1, 2]}", "#", "@user", "$5", "€",
    "©", "™", "→", "∑∫", "≠", "°C", "µm", "Å", "_", "__init__", "~", "|", "\\", "\u0000", "\u007f",
    "\ud800", "\udc00", "\udbff", "x\ud800y"
  };

  private AdversarialTexts() {}

  static List<String> generate(long seed, int count) {
    Random random = new Random(seed);
    List<String> texts = new ArrayList<>(count);
    for (int t = 0; t < count; t++) {
      StringBuilder text = new StringBuilder();
      int parts = random.nextInt(40);
      for (int p = 0; p < parts; p++) {
        int kind = random.nextInt(20);
        if (kind == 0) {
          text.append(longWord(random));
        } else if (kind == 1) {
          int cp;
          do {
            cp = random.nextInt(3) == 0 ? random.nextInt(0x3000) : random.nextInt(Character.MAX_CODE_POINT + 1);
          } while (Character.getType(cp) == Character.SURROGATE);
          text.appendCodePoint(cp);
        } else {
          text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        }
      }
      texts.add(text.toString());
    }
    return texts;
  }

  private static String longWord(Random random) {
    int length = 50 + random.nextInt(random.nextInt(10) == 0 ? 5000 : 300);
    switch (random.nextInt(5)) {
      case 0:
        return "a".repeat(length);
      case 1:
        return "=".repeat(length);
      case 2:
        return "9".repeat(length);
      case 3:
        return " ".repeat(length);
      default:
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
          word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }
  }
}
