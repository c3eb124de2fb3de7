package org.mlmspark.notebook.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs JShell's snippets in this JVM, so that cells share the kernel's classes and values can be shown as the
 * objects they are (images, HTML), not only as JShell's strings.
 *
 * <p>Snippets run one after the other on one thread of their own: the kernel's message threads stay free (an
 * interrupt request arrives on one of them), thread-local state such as Spark's active session carries over from
 * cell to cell, and the thread's context class loader is JShell's, which sees both the cells' classes and the
 * class path (Spark loads classes by name through it).
 */
final class CellExecution extends DirectExecutionControl {
  private final ExecutorService worker;
  private volatile Thread workerThread;
  private Object lastValue;

  CellExecution() {
    worker = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "notebook-cells");
      thread.setDaemon(true);
      workerThread = thread;
      return thread;
    });
  }

  @Override
  protected String invoke(Method doit) throws Exception {
    ClassLoader snippets = doit.getDeclaringClass().getClassLoader();
    Future<Object> run = worker.submit(() -> {
      Thread.currentThread().setContextClassLoader(snippets);
      Thread.interrupted(); // an interrupt aimed at an earlier cell must not hit this one
      return doit.invoke(null);
    });
    Object value;
    try {
      value = run.get();
    } catch (ExecutionException e) {
      // doit.invoke wraps what the snippet threw in an InvocationTargetException, which JShell reports
      throw e.getCause() instanceof Exception cause ? cause : new InvocationTargetException(e.getCause());
    }
    lastValue = value;
    return valueString(value);
  }

  /** The value of the snippet run last, and forgets it. */
  Object takeValue() {
    Object value = lastValue;
    lastValue = null;
    return value;
  }

  /** Interrupts the running snippet; code that waits or checks {@link Thread#interrupted()} stops. */
  void interrupt() {
    Thread thread = workerThread;
    if (thread != null) {
      thread.interrupt();
    }
  }

  @Override
  public void stop() {
    interrupt();
  }

  @Override
  public void close() {
    worker.shutdownNow();
    super.close();
  }

  /** Hands this execution to JShell's builder. */
  ExecutionControlProvider provider() {
    return new ExecutionControlProvider() {
      @Override
      public String name() {
        return "notebook";
      }

      @Override
      public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return CellExecution.this;
      }
    };
  }
}
