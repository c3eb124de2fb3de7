package org.mlmspark.notebook.kernel;

/** Facts about the text of a cell that JShell's analysis does not give. */
final class CellSource {
  private CellSource() {}

  /** The line (from 1) that holds the character at {@code offset}. */
  static int lineAt(String text, int offset) {
    int line = 1;
    for (int i = 0; i < Math.min(offset, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** Line {@code line} (from 1) of {@code text}, without its line break; empty past the end. */
  static String line(String text, int line) {
    String[] lines = text.split("\n", -1);
    return line >= 1 && line <= lines.length ? lines[line - 1].stripTrailing() : "";
  }

  /**
   * Whether the last thing in {@code source} other than whitespace and comments is a semicolon. A cell's last
   * expression without one is shown as the cell's result, as in IPython; with one it is evaluated silently.
   */
  static boolean endsWithSemicolon(String source) {
    char last = 0;
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        while (end > 0 && source.charAt(end - 1) == '\\') {
          end = source.indexOf("\"\"\"", end + 1);
        }
        i = end < 0 ? n : end + 3;
        last = '"';
      } else if (c == '"' || c == '\'') {
        i++;
        while (i < n && source.charAt(i) != c && source.charAt(i) != '\n') {
          i += source.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
        last = c;
      } else {
        if (!Character.isWhitespace(c)) {
          last = c;
        }
        i++;
      }
    }
    return last == ';';
  }
}
