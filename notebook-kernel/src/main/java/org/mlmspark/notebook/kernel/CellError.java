package org.mlmspark.notebook.kernel;

import java.util.List;

/** A cell that failed, with what Jupyter's {@code error} output shows of it. */
final class CellError extends Exception {
  private final String name;
  private final List<String> traceback;

  /**
   * @param name      the error's kind: the Java exception's class name, {@code CompilationError} or {@code
   *                  IncompleteCode}
   * @param message   what went wrong, one line where possible
   * @param traceback the lines a front end prints: what went wrong, where in which cell, and the Java stack
   */
  CellError(String name, String message, List<String> traceback) {
    super(message, null, false, false);
    this.name = name;
    this.traceback = List.copyOf(traceback);
  }

  String name() {
    return name;
  }

  List<String> traceback() {
    return traceback;
  }
}
