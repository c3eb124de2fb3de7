package org.mlmspark.notebook.kernel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Notebook cells in one JShell: a cell is cut into JShell's snippets, which run in order and share one scope
 * with every cell before. Remembers which cell and line each snippet came from, so that compile errors and stack
 * traces point at the cell's own lines ({@code In[3], line 7}).
 */
final class JShellCells implements AutoCloseable {
  /** A cell's result: the value of its last expression. */
  record Value(Object object) {}

  /** Where a snippet came from: the cell's execution count, its text, and the cell line the snippet starts on. */
  private record Origin(int cell, String cellText, int firstLine) {
    String where(int snippetLine) {
      int line = firstLine + snippetLine - 1;
      return "In[" + cell + "], line " + line + ": " + CellSource.line(cellText, line).strip();
    }
  }

  private final CellExecution execution = new CellExecution();
  private final JShell shell;
  private final SourceCodeAnalysis analysis;
  private final Map<String, Origin> origins = new ConcurrentHashMap<>();

  /** @param classpath what the cells compile against; at run time they see this JVM's class path */
  JShellCells(String classpath) {
    shell = JShell.builder()
        .executionEngine(execution.provider(), Map.of())
        .compilerOptions("--class-path", classpath)
        .build();
    analysis = shell.sourceCodeAnalysis();
  }

  /**
   * Runs every snippet of a cell, in order.
   *
   * @param count the cell's execution count, which error messages name it by
   * @param notes where notes about definitions that wait for others go
   * @return the value of the cell's last snippet when that is an expression not ended by a semicolon, else null
   * @throws CellError at the first snippet that does not compile or throws; the snippets before it stay run
   */
  Value run(String cell, int count, PrintStream notes) throws CellError {
    String remaining = cell;
    Value result = null;
    while (true) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (info.completeness() == Completeness.EMPTY) {
        return result;
      }
      String consumed = remaining.substring(0, remaining.length() - info.remaining().length());
      int blank = consumed.length() - consumed.stripLeading().length();
      // JShell counts lines from the snippet's first character: leading blank lines would shift them
      int start = cell.length() - remaining.length() + blank;
      Origin origin = new Origin(count, cell, CellSource.lineAt(cell, start));
      if (!info.completeness().isComplete()) {
        throw new CellError("IncompleteCode", "the cell ends inside an unfinished statement",
            List.of("IncompleteCode: the cell ends inside an unfinished statement", "  " + origin.where(1)));
      }
      String snippet = info.source().substring(blank);
      result = evaluate(snippet, origin, notes) && !CellSource.endsWithSemicolon(consumed)
          ? new Value(execution.takeValue()) : null;
      remaining = info.remaining();
    }
  }

  /** @return whether the snippet was an expression with a value */
  private boolean evaluate(String snippet, Origin origin, PrintStream notes) throws CellError {
    execution.takeValue();
    boolean hasValue = false;
    for (SnippetEvent event : shell.eval(snippet)) {
      if (event.causeSnippet() != null) {
        continue; // what this snippet did to earlier ones
      }
      Snippet declared = event.snippet();
      origins.put(declared.id(), origin);
      switch (event.status()) {
        case REJECTED -> throw compileError(declared, snippet, origin);
        case RECOVERABLE_NOT_DEFINED -> throw unresolved(declared, origin);
        case RECOVERABLE_DEFINED -> notes.println("note: " + describe(declared) + " can be used once "
            + waitsFor(declared) + " is declared");
        default -> { }
      }
      if (event.exception() != null) {
        throw runtimeError(event.exception(), origin);
      }
      Snippet.SubKind kind = declared.subKind();
      hasValue = kind == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND || kind == Snippet.SubKind.VAR_VALUE_SUBKIND;
    }
    return hasValue;
  }

  private CellError compileError(Snippet rejected, String snippet, Origin origin) {
    List<String> traceback = new ArrayList<>();
    String first = null;
    for (Diag diag : shell.diagnostics(rejected).filter(Diag::isError).toList()) {
      String message = diag.getMessage(Locale.ROOT);
      first = first == null ? message.lines().findFirst().orElse(message) : first;
      int position = (int) Math.max(0, diag.getStartPosition());
      int snippetLine = CellSource.lineAt(snippet, position);
      int lineStart = snippet.lastIndexOf('\n', position - 1) + 1;
      String code = CellSource.line(snippet, snippetLine);
      String where = "  In[" + origin.cell() + "], line " + (origin.firstLine() + snippetLine - 1) + ": ";
      traceback.add(where + code);
      traceback.add(" ".repeat(where.length() + Math.min(code.length(), position - lineStart)) + "^");
      message.lines().forEach(line -> traceback.add("    " + line));
    }
    if (first == null) {
      first = "the snippet was not accepted";
      traceback.add("  " + origin.where(1));
    }
    traceback.add(0, "CompilationError: " + first);
    return new CellError("CompilationError", first, traceback);
  }

  private CellError unresolved(Snippet snippet, Origin origin) {
    String message = describe(snippet) + " cannot be defined until " + waitsFor(snippet) + " is declared";
    return new CellError("CompilationError", message, List.of("CompilationError: " + message, "  " + origin.where(1)));
  }

  private CellError runtimeError(JShellException exception, Origin origin) {
    String name;
    String message;
    if (exception instanceof EvalException eval) {
      name = eval.getExceptionClassName();
      message = String.valueOf(eval.getMessage());
    } else if (exception instanceof UnresolvedReferenceException unresolved) {
      name = "UnresolvedReference";
      message = describe(unresolved.getSnippet()) + " cannot be used until " + waitsFor(unresolved.getSnippet())
          + " is declared";
    } else {
      name = exception.getClass().getName();
      message = String.valueOf(exception.getMessage());
    }
    List<String> traceback = new ArrayList<>();
    traceback.add(name + ": " + message);
    appendFrames(exception, traceback, origin);
    for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
      String causeName = cause instanceof EvalException e ? e.getExceptionClassName() : cause.getClass().getName();
      traceback.add("Caused by: " + causeName + ": " + cause.getMessage());
      appendFrames(cause, traceback, origin);
    }
    return new CellError(name, message, traceback);
  }

  /** Java's stack frames, those of snippets as the cell and line they came from. */
  private void appendFrames(Throwable exception, List<String> traceback, Origin current) {
    for (StackTraceElement frame : exception.getStackTrace()) {
      String file = frame.getFileName();
      Origin origin = file != null && file.startsWith("#") ? origins.get(file.substring(1)) : null;
      if (origin == null) {
        traceback.add("    at " + frame);
      } else {
        String method = frame.getMethodName().isEmpty() ? "" : frame.getMethodName() + ", ";
        String owner = frame.getClassName().isEmpty() ? "" : frame.getClassName() + ".";
        traceback.add("    at " + (method.isEmpty() ? "" : owner + method) + origin.where(frame.getLineNumber()));
      }
    }
  }

  private String waitsFor(Snippet snippet) {
    return snippet instanceof DeclarationSnippet declaration
        ? shell.unresolvedDependencies(declaration).collect(Collectors.joining(", ")) : "what it uses";
  }

  private static String describe(Snippet snippet) {
    return snippet.kind().name().toLowerCase(Locale.ROOT) + " "
        + (snippet instanceof DeclarationSnippet d ? d.name() : snippet.source().strip());
  }

  /** JShell's completions for the snippet the cursor is in, as a range of the cell and its replacements. */
  Completions complete(String cell, int cursor) {
    int start = currentSnippetStart(cell, cursor);
    int[] anchor = new int[1];
    List<String> options = analysis.completionSuggestions(cell.substring(start, cursor), cursor - start, anchor)
        .stream().map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
    return new Completions(options, start + anchor[0], cursor);
  }

  record Completions(List<String> options, int from, int to) {}

  /** The signatures of what the cursor is on (no Javadoc: the class path holds no sources). */
  String inspect(String cell, int cursor) {
    int start = currentSnippetStart(cell, cursor);
    return analysis.documentation(cell.substring(start, cursor), cursor - start, false).stream()
        .map(SourceCodeAnalysis.Documentation::signature).distinct().collect(Collectors.joining("\n"));
  }

  /** Where the snippet that the cursor is in starts: after every snippet complete before the cursor. */
  private int currentSnippetStart(String cell, int cursor) {
    String before = cell.substring(0, Math.min(cursor, cell.length()));
    String remaining = before;
    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
    while (info.completeness().isComplete() && !info.remaining().isEmpty()) {
      remaining = info.remaining();
      info = analysis.analyzeCompletion(remaining);
    }
    return before.length() - remaining.length();
  }

  /**
   * Whether a front end should run the cell on Enter: {@code complete}, {@code invalid}, or else {@code null}
   * when a statement is still open (the next line then takes the indent {@link #indent} gives).
   */
  String completeness(String cell) {
    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(cell);
    while (info.completeness().isComplete()) {
      info = analysis.analyzeCompletion(info.remaining());
    }
    return switch (info.completeness()) {
      case EMPTY, COMPLETE, COMPLETE_WITH_SEMI -> "complete";
      case UNKNOWN -> "invalid";
      default -> null;
    };
  }

  /** The indent for the line after an open statement: the last line's, one level deeper after an opening bracket. */
  static String indent(String cell) {
    String last = cell.substring(cell.lastIndexOf('\n') + 1);
    String indent = last.substring(0, last.length() - last.stripLeading().length());
    String code = last.strip();
    return code.endsWith("{") || code.endsWith("(") ? indent + "  " : indent;
  }

  void interrupt() {
    execution.interrupt();
  }

  @Override
  public void close() {
    shell.close();
  }
}
