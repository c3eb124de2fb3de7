package org.mlmspark.cli;

import java.io.FileNotFoundException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The one runner of every bin/ command and benchmark, with one exit-code policy: {@link #OK}, {@link #FAILED},
 * {@link #USAGE}, {@link #LOCK_HELD}, {@link #GATE_KEPT}, {@link #INTERRUPTED}. Every error is one
 * {@code error: ...} line without a stack trace; a bug (an exception no command throws on purpose) adds one line
 * saying how to report it. {@code --verbose}, accepted by every command, prints the stack trace as well.
 */
public final class Cli {
  public static final int OK = 0;
  /** The run started and failed, or refused to produce output (e.g. too many rejected records). */
  public static final int FAILED = 1;
  /** Bad flags or input, found before any work started. */
  public static final int USAGE = 2;
  /** Another live run holds the output's lock. */
  public static final int LOCK_HELD = 3;
  /** The evaluation gate kept the published model. */
  public static final int GATE_KEPT = 4;
  /** Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
  public static final int INTERRUPTED = 130;

  static final String VERBOSE = "--verbose";
  static final String REPORT =
      "this is a bug in mlm-spark: please report it with the output of the same command run with --verbose";
  /** How long an interrupted command may take to unwind (cancel Spark jobs, remove its staging) before it is ended. */
  private static final long UNWIND_MILLIS = 60_000;

  private static final AtomicBoolean interrupted = new AtomicBoolean();
  /** Exceptions declared here carry messages written for the user. */
  private static final String OWN_PACKAGE = "org.mlmspark.";
  private static final AtomicBoolean interruptLinePrinted = new AtomicBoolean();

  private Cli() {}

  /**
   * Implemented by commands that write an output: the line printed when Ctrl-C or SIGTERM ends them, e.g.
   * {@code interrupted: data/eli5 left as it was}.
   */
  public interface Interruptible {
    String interruptedLine();
  }

  /** Runs the command as a process's main does: Ctrl-C and SIGTERM handled, then exits with the command's code. */
  public static void exit(Object command, String... args) {
    PrintStream console = System.err;
    Thread main = Thread.currentThread();
    SignalHandler handler = signal -> onSignal(command, console, main);
    Signal.handle(new Signal("INT"), handler);
    Signal.handle(new Signal("TERM"), handler);
    int code = run(command, new PrintWriter(console, true), args);
    if (code == INTERRUPTED) {
      printLine(command, console);
    }
    System.exit(code);
  }

  /** @return the exit code; errors go to stderr */
  public static int run(Object command, String... args) {
    return run(command, new PrintWriter(System.err, true), args);
  }

  /** @return the exit code; errors go to {@code err} */
  public static int run(Object command, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(command).setErr(err).setCaseInsensitiveEnumValuesAllowed(true);
    CommandSpec spec = commandLine.getCommandSpec();
    if (spec.findOption(VERBOSE) == null) {
      spec.addOption(OptionSpec.builder(VERBOSE).description("Print the stack trace of an error.").build());
    }
    boolean verbose = Arrays.asList(args).contains(VERBOSE);
    String unknown = UnknownOption.find(spec, args);
    if (unknown != null) {
      err.println("error: " + unknown);
      return USAGE;
    }
    commandLine.setParameterExceptionHandler((e, arguments) -> {
      err.println("error: " + firstLine(e.getMessage()));
      if (verbose) {
        e.printStackTrace(err);
      }
      return USAGE;
    });
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (interrupted.get()) {
        return INTERRUPTED; // whatever the command threw while unwinding, the interrupt line says what happened
      }
      int code = report(e, err);
      if (verbose) {
        e.printStackTrace(err);
      }
      return code;
    });
    int code = commandLine.execute(args);
    if (interrupted.get()) {
      return INTERRUPTED;
    }
    return code;
  }

  /** True once Ctrl-C or SIGTERM arrived: long loops that are not interruptible check it between steps. */
  public static boolean interrupted() {
    return interrupted.get();
  }

  /** Prints the line for a failed command and returns its exit code. */
  static int report(Throwable e, PrintWriter err) {
    UserError userError = find(e, UserError.class);
    if (userError != null) {
      err.println("error: " + userError.getMessage());
      return userError.exitCode();
    }
    Throwable shown = unwrap(e);
    err.println("error: " + describe(e));
    Throwable kind = shown instanceof UncheckedIOException && shown.getCause() != null ? shown.getCause() : shown;
    if (kind instanceof IllegalArgumentException || kind instanceof FileNotFoundException
        || kind instanceof NoSuchFileException || kind instanceof AccessDeniedException
        || kind instanceof FileAlreadyExistsException || kind instanceof NotDirectoryException) {
      return USAGE;
    }
    if (!(kind instanceof java.io.IOException || kind instanceof IllegalStateException
        || kind instanceof OutOfMemoryError)) {
      err.println(REPORT);
    }
    return FAILED;
  }

  /**
   * The exception that names the problem: wrappers that only carry another (Spark's job failure, a future's, an
   * unchecked I/O error, one made from its cause alone) are looked through; one with its own message is kept.
   */
  static Throwable unwrap(Throwable e) {
    Throwable shown = e;
    while (shown.getCause() != null && shown.getCause() != shown && (isWrapper(shown)
        || shown.getMessage() == null || shown.getMessage().isBlank()
        || shown.getMessage().equals(shown.getCause().toString()))) {
      shown = shown.getCause();
    }
    return shown;
  }

  private static boolean isWrapper(Throwable e) {
    return e.getClass().getName().equals("org.apache.spark.SparkException")
        || e instanceof java.util.concurrent.ExecutionException || e instanceof java.util.concurrent.CompletionException
        || e instanceof java.lang.reflect.InvocationTargetException;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /**
   * What went wrong, for the user: the message of a {@link UserError} anywhere in the chain; otherwise that of
   * the exception {@link #unwrap} finds, as it is when it was written for the user (this project's exceptions,
   * bad arguments, missing files, illegal states) and else after the exception's type, first line only.
   */
  public static String describe(Throwable failure) {
    UserError userError = find(failure, UserError.class);
    if (userError != null) {
      return userError.getMessage();
    }
    Throwable e = unwrap(failure);
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof IllegalArgumentException && !message.isEmpty()) {
      return message; // written for the user, e.g. bad data with the rows it found
    }
    message = firstLine(message);
    if (e instanceof NoSuchFileException) {
      return "no such file: " + message;
    }
    if ((e instanceof IllegalStateException || e instanceof FileNotFoundException
        || e instanceof UncheckedIOException || e.getClass().getName().startsWith(OWN_PACKAGE))
        && !message.isEmpty()) {
      return message;
    }
    return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  /**
   * First signal: silence everything else the JVM prints (Spark's and Hadoop's shutdown noise, tasks' stack
   * traces), interrupt the command so it unwinds through its clean-up, and end the process if it has not after
   * {@link #UNWIND_MILLIS}. Second signal: end at once.
   */
  private static void onSignal(Object command, PrintStream console, Thread main) {
    if (!interrupted.compareAndSet(false, true)) {
      printLine(command, console);
      Runtime.getRuntime().halt(INTERRUPTED);
    }
    System.setErr(new PrintStream(OutputStream.nullOutputStream()));
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    main.interrupt();
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(UNWIND_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      printLine(command, console);
      System.exit(INTERRUPTED);
    }, "interrupt-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void printLine(Object command, PrintStream console) {
    if (interruptLinePrinted.compareAndSet(false, true)) {
      Object target = command instanceof CommandSpec spec ? spec.userObject() : command;
      console.println(target instanceof Interruptible i ? i.interruptedLine() : "interrupted");
      console.flush();
    }
  }

}
