package org.mlmspark.notebook;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Runs notebook cells the way the project's Java kernel (notebook-kernel) does, in a JVM of its own: a cell is cut
 * into complete snippets and each is evaluated in order, sharing one scope. The separate JVM keeps the notebook's Spark
 * session, system properties and native memory out of the test JVM, and gets Spark's module flags and the
 * project's classpath on its system class loader, as the bin/ launchers give them.
 */
final class JShellKernel implements AutoCloseable {
  private final JShell shell;
  private final ByteArrayOutputStream cellOutput = new ByteArrayOutputStream();

  /**
   * @param classpath  compile and run classpath
   * @param jvmOptions flags of the JVM that runs the cells
   * @param properties system properties the cells read
   */
  JShellKernel(String classpath, List<String> jvmOptions, Map<String, String> properties) {
    List<String> vm = new ArrayList<>(jvmOptions);
    properties.forEach((key, value) -> vm.add("-D" + key + "=" + value));
    vm.add("--class-path");
    vm.add(classpath);
    shell = JShell.builder()
        .remoteVMOptions(vm.toArray(String[]::new))
        .compilerOptions("--class-path", classpath)
        .out(tee(System.out))
        .err(tee(System.err))
        .build();
  }

  /**
   * Evaluates every snippet of a cell, in order.
   *
   * @return what the cell printed
   * @throws AssertionError naming the cell, the snippet and the compile error, exception or unresolved reference
   */
  String run(Notebook.Cell cell) {
    synchronized (cellOutput) {
      cellOutput.reset();
    }
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = cell.source();
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (!info.completeness().isComplete()) {
        if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
          break; // only comments are left
        }
        throw failure(cell, remaining, "incomplete source (" + info.completeness() + ")");
      }
      for (SnippetEvent event : shell.eval(info.source())) {
        check(cell, info.source(), event);
      }
      remaining = info.remaining();
    }
    return output();
  }

  /** The value of a Java expression in the notebook's scope, as JShell prints it. */
  String value(String expression) {
    List<SnippetEvent> events = shell.eval(expression);
    Notebook.Cell probe = new Notebook.Cell(0, "code", expression, null); // cell 0: after the notebook
    events.forEach(event -> check(probe, expression, event));
    return events.get(events.size() - 1).value();
  }

  private void check(Notebook.Cell cell, String snippet, SnippetEvent event) {
    if (event.causeSnippet() != null) {
      return; // a consequence for an earlier snippet, not this one's result
    }
    Snippet.Status status = event.status();
    if (status == Snippet.Status.REJECTED) {
      String diagnostics = shell.diagnostics(event.snippet())
          .map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n  "));
      throw failure(cell, snippet, "does not compile:\n  " + diagnostics);
    }
    if (status != Snippet.Status.VALID && status != Snippet.Status.OVERWRITTEN) {
      throw failure(cell, snippet, "snippet is " + status + " (it refers to something not defined)");
    }
    JShellException exception = event.exception();
    if (exception != null) {
      throw failure(cell, snippet, "threw " + describe(exception));
    }
  }

  private static String describe(JShellException exception) {
    StringBuilder text = new StringBuilder();
    if (exception instanceof EvalException eval) {
      text.append(eval.getExceptionClassName()).append(": ").append(eval.getMessage());
    } else if (exception instanceof UnresolvedReferenceException unresolved) {
      text.append("an unresolved reference in ").append(unresolved.getSnippet().source());
    } else {
      text.append(exception);
    }
    for (StackTraceElement frame : exception.getStackTrace()) {
      text.append("\n    at ").append(frame);
    }
    for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
      text.append("\n  caused by ").append(cause instanceof EvalException e ? e.getExceptionClassName() : cause
          .getClass().getName()).append(": ").append(cause.getMessage());
    }
    return text.toString();
  }

  private AssertionError failure(Notebook.Cell cell, String snippet, String problem) {
    return new AssertionError("notebook cell " + cell.number() + ": " + problem + "\n--- snippet:\n" + snippet
        + "\n--- cell output:\n" + output() + "\n--- cell source:\n" + cell.source());
  }

  private String output() {
    synchronized (cellOutput) {
      return cellOutput.toString(StandardCharsets.UTF_8);
    }
  }

  /** The kernel's output goes to the test log as it comes, and into the current cell's buffer. */
  private PrintStream tee(PrintStream console) {
    return new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        console.write(b);
        synchronized (cellOutput) {
          cellOutput.write(b);
        }
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        console.write(bytes, offset, length);
        synchronized (cellOutput) {
          cellOutput.write(bytes, offset, length);
        }
      }
    }, true, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    shell.close();
  }
}
