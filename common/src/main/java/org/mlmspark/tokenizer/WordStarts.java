package org.mlmspark.tokenizer;

import java.util.function.IntPredicate;

/**
 * Where words start in a tokenized text, as transformers' whole-word masking finds them
 * ({@code DataCollatorForLanguageModeling._calc_word_ids_and_prob_mask}): a token that is not special starts a word
 * when its characters do not begin where the previous token's end, or when the previous token is special. So a word
 * is a run of tokens whose offsets touch: "Hello" + "," is one word, " world" (its offsets trimmed of the space) the
 * next.
 */
public final class WordStarts {
  private WordStarts() {}

  /**
   * @param starts  each token's first character offset
   * @param ends    each token's end offset
   * @param special tells the special ids (the collator's special-tokens mask: transformers' all_special_ids)
   * @return 1 where a token starts a word, else 0
   */
  public static int[] of(int[] ids, int[] starts, int[] ends, IntPredicate special) {
    int[] flags = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      boolean previousSpecial = i > 0 && special.test(ids[i - 1]);
      boolean touches = i > 0 && starts[i] == ends[i - 1];
      flags[i] = !special.test(ids[i]) && (previousSpecial || !touches) ? 1 : 0;
    }
    return flags;
  }
}
