package org.mlmspark.notebook;

/**
 * A rich cell value: the project's Jupyter kernel shows it as {@code text/html}, with {@code text} as its
 * {@code text/plain} alternative (what JShell and plain-text front ends print).
 */
public record Html(String html, String text) {
  @Override
  public String toString() {
    return text;
  }

  /** {@code text} with the five characters that HTML treats specially escaped. */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
