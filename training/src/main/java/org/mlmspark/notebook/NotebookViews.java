package org.mlmspark.notebook;

import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.mlmspark.inference.FillMask;
import org.mlmspark.train.data.MaskedBatch;

/** The walkthrough notebook's pictures that are better as HTML than as text. */
public final class NotebookViews {
  private static final String MASKED = "#f9c74f";
  private static final String RANDOM = "#f94144";
  private static final String KEPT = "#90be6d";

  private NotebookViews() {}

  /**
   * Fill-mask's top-k as a table: rank, token, score and the filled-in sequence. Each score has a bar, the best
   * one 120 px long and the others in proportion, so that a small model's low scores are still told apart.
   */
  public static Html fillMaskTable(List<FillMask.Prediction> predictions) {
    StringBuilder html = new StringBuilder("<table>\n<thead><tr><th>#</th><th>token</th><th>score</th>"
        + "<th style=\"text-align:left\">sequence</th></tr></thead>\n<tbody>\n");
    StringBuilder text = new StringBuilder();
    double best = predictions.stream().mapToDouble(FillMask.Prediction::score).max().orElse(1);
    int rank = 0;
    for (FillMask.Prediction p : predictions) {
      rank++;
      String score = String.format(Locale.ROOT, "%.4f", p.score());
      int width = best > 0 ? (int) Math.round(Math.max(0, p.score()) / best * 120) : 0;
      html.append("<tr><td>").append(rank).append("</td><td><code>").append(Html.escape(p.tokenStr()))
          .append("</code></td><td style=\"text-align:left\"><span style=\"display:inline-block;width:").append(width)
          .append("px;height:0.8em;background:#4c78a8\"></span> ").append(score)
          .append("</td><td style=\"text-align:left\">").append(Html.escape(p.sequence())).append("</td></tr>\n");
      text.append(String.format(Locale.ROOT, "%d  %-14s %s  %s%n", rank, "'" + p.tokenStr() + "'", score,
          p.sequence()));
    }
    html.append("</tbody>\n</table>");
    return new Html(html.toString(), text.toString());
  }

  /**
   * One row of a masked batch decoded token by token, the positions that carry a label highlighted by what the
   * collator did to them: replaced by the mask token, by a random token, or kept. Hovering a highlighted token
   * shows the original.
   *
   * @param tokenText the text of one token id, as the tokenizer decodes it
   */
  public static Html maskedBlock(MaskedBatch batch, int row, int maskId, IntFunction<String> tokenText) {
    if (row < 0 || row >= batch.batchSize()) {
      throw new IllegalArgumentException("row " + row + " is not in a batch of " + batch.batchSize());
    }
    int[] counts = new int[3];
    StringBuilder html = new StringBuilder("<div style=\"white-space:pre-wrap;font-family:monospace;line-height:1.6\">");
    StringBuilder text = new StringBuilder();
    for (int i = row * batch.sequenceLength(); i < (row + 1) * batch.sequenceLength(); i++) {
      int input = batch.inputIds()[i];
      int label = batch.labels()[i];
      String shown = tokenText.apply(input);
      if (label == MaskedBatch.IGNORE_INDEX) {
        html.append(Html.escape(shown));
        text.append(shown);
        continue;
      }
      int kind = input == maskId ? 0 : input == label ? 2 : 1;
      counts[kind]++;
      String original = tokenText.apply(label);
      String word = original.strip();
      // the original's leading space stays outside the highlight, so "a <mask> galaxy" keeps its spacing
      String space = original.substring(0, original.indexOf(word.isEmpty() ? original : word));
      String colour = kind == 0 ? MASKED : kind == 1 ? RANDOM : KEPT;
      html.append(Html.escape(space)).append("<span style=\"background:").append(colour)
          .append(";border-radius:3px\" title=\"").append(kind == 2 ? "kept" : "was " + Html.escape(word))
          .append("\">").append(Html.escape(shown.strip())).append("</span>");
      text.append(space).append(kind == 2 ? "[" + shown.strip() + "]" : "[" + shown.strip() + "|" + word + "]");
    }
    html.append("</div>\n<p>");
    legend(html, MASKED, "mask token", counts[0]);
    legend(html, RANDOM, "random token", counts[1]);
    legend(html, KEPT, "kept, still predicted", counts[2]);
    html.append("</p>");
    text.append(String.format(Locale.ROOT, "%n[token|original]: %d masked, %d random; [token]: %d kept",
        counts[0], counts[1], counts[2]));
    return new Html(html.toString(), text.toString());
  }

  private static void legend(StringBuilder html, String colour, String what, int count) {
    html.append("<span style=\"background:").append(colour).append(";border-radius:3px;padding:0 4px\">")
        .append(count).append(' ').append(what).append("</span> ");
  }
}
