package org.mlmspark.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mlmspark.inference.FillMask;
import org.mlmspark.train.data.MaskedBatch;

class NotebookViewsTest {
  private static final int MASK = 9;
  private static final String[] WORDS = {"<s>", " The", " Milky", " Way", " is", " a", " spiral", " galaxy", ".", "<mask>",
      " <b>"};

  private static String word(int id) {
    return WORDS[id];
  }

  @Test
  void theFillMaskTableHasOneEscapedRowPerPredictionBestFirst() {
    List<FillMask.Prediction> predictions = List.of(
        new FillMask.Prediction(0.75, 6, " spiral", "The Milky Way is a spiral galaxy."),
        new FillMask.Prediction(0.2, 10, " <b>", "The Milky Way is a <b> galaxy."));
    Html table = NotebookViews.fillMaskTable(predictions);

    Matcher rows = Pattern.compile("<tr><td>(\\d)</td><td><code>([^<]*)</code></td>.*?width:(\\d+)px.*?</span> ([0-9.]+)</td>")
        .matcher(table.html());
    assertTrue(rows.find());
    assertEquals("1", rows.group(1));
    assertEquals(" spiral", rows.group(2));
    assertEquals("120", rows.group(3), "the best score's bar is 120 px");
    assertEquals("0.7500", rows.group(4));
    assertTrue(rows.find());
    assertEquals("2", rows.group(1));
    assertEquals(" &lt;b&gt;", rows.group(2), "token text is escaped, not markup");
    assertEquals("32", rows.group(3), "the others in proportion: 0.2 / 0.75 * 120");
    assertFalse(rows.find());
    assertFalse(table.html().contains("<b>"));
    assertTrue(table.html().contains("The Milky Way is a &lt;b&gt; galaxy."));
    assertEquals("1  ' spiral'      0.7500  The Milky Way is a spiral galaxy.", table.text().lines().findFirst().get());
    assertEquals(table.text(), table.toString());
  }

  @Test
  void theMaskedBlockHighlightsExactlyTheLabelledPositionsByWhatTheCollatorDid() {
    // row 1 of a 2 x 6 batch: " Milky" masked, " is" replaced by the random " a", " spiral" kept
    int[] inputs = {0, 1, 2, 3, 4, 8, 0, MASK, 3, 5, 6, 8};
    int[] labels = {-100, -100, 3, -100, -100, -100, -100, 2, -100, 4, 6, -100};
    MaskedBatch batch = new MaskedBatch(2, 6, inputs, new int[12], labels);

    Html view = NotebookViews.maskedBlock(batch, 1, MASK, NotebookViewsTest::word);

    List<String> spans = Pattern.compile("<span style=\"background:(#\\w+);border-radius:3px\" title=\"([^\"]*)\">([^<]*)</span>")
        .matcher(view.html()).results().map(m -> m.group(1) + "|" + m.group(2) + "|" + m.group(3)).toList();
    assertEquals(List.of("#f9c74f|was Milky|&lt;mask&gt;", "#f94144|was is|a", "#90be6d|kept|spiral"), spans);
    assertTrue(view.html().contains("&lt;s&gt; <span"), "the original's space stays before the highlight");
    assertTrue(view.html().startsWith("<div style=\"white-space:pre-wrap;font-family:monospace;line-height:1.6\">&lt;s&gt;"));
    assertTrue(view.html().contains("1 mask token"));
    assertTrue(view.html().contains("1 random token"));
    assertTrue(view.html().contains("1 kept, still predicted"));
    assertEquals("<s> [<mask>|Milky] Way [a|is] [spiral].", view.text().lines().findFirst().get());
    assertTrue(view.text().endsWith("1 masked, 1 random; [token]: 1 kept"));
  }

  @Test
  void aRowOutsideTheBatchIsRefused() {
    MaskedBatch batch = new MaskedBatch(1, 2, new int[] {0, 8}, new int[2], new int[] {-100, -100});
    assertThrows(IllegalArgumentException.class, () -> NotebookViews.maskedBlock(batch, 1, MASK, NotebookViewsTest::word));
  }
}
