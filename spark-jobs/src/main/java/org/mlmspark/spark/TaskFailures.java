package org.mlmspark.spark;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkThrowable;
import org.mlmspark.cli.UserError;

/**
 * Turns a failed Spark job into one line naming the file and the cause. Spark wraps a task's failure several
 * times (job aborted, task failed, file read or write failed, the cause); the file is a message parameter of its
 * own exception ({@code FAILED_READ_FILE}, {@code TASK_WRITE_FAILED}), the cause is the innermost exception.
 */
public final class TaskFailures {
  private TaskFailures() {}

  /** A failure of the project's own code while reading or writing a file inside a task, naming the file. */
  public static final class FileFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String action;
    private final String path;

    public FileFailure(String action, String path, Throwable cause) {
      super(action + " " + path + " failed", cause);
      this.action = action;
      this.path = path;
    }
  }

  /**
   * Runs {@code job}; a {@link UserError} passes through, anything else becomes a {@link UserError} with exit
   * code {@link UserError#FAILED} and the one-line {@link #describe description}.
   */
  public static <T> T oneLine(Callable<T> job) {
    try {
      return job.call();
    } catch (UserError e) {
      throw e;
    } catch (Exception e) {
      UserError wrapped = userError(e);
      if (wrapped != null) {
        throw wrapped;
      }
      throw new UserError(describe(e), UserError.FAILED, e);
    }
  }

  /**
   * Runs a Spark write into {@code path}; a failure that names no file itself (a full disk reaches the driver as
   * the bare cause) is reported as a failure writing {@code path}.
   */
  public static void writing(String path, Callable<?> write) {
    try {
      write.call();
    } catch (UserError e) {
      throw e;
    } catch (Exception e) {
      throw new FileFailure("writing", path, e);
    }
  }

  /** "reading|writing PATH: Cause: message", or the innermost cause alone when no file is named. */
  public static String describe(Throwable failure) {
    String file = null;
    String action = null;
    String explained = null;
    Throwable root = failure;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      root = t;
      if (t instanceof FileFailure own) {
        file = own.path;
        action = own.action;
        explained = null;
      } else if (t instanceof SparkThrowable spark && spark.getCondition() != null) {
        Map<String, String> parameters = spark.getMessageParameters();
        String path = parameters == null ? null : parameters.get("path");
        if (path != null) {
          file = path.replaceAll("^`|`$", "");
          action = spark.getCondition().startsWith("TASK_WRITE") ? "writing" : "reading";
          explained = explanation(t.getMessage(), path);
        }
      }
    }
    String cause = explained != null ? explained : firstLine(root);
    return file == null ? cause : action + " " + file + " failed: " + cause;
  }

  /**
   * What Spark's message says after the path ("Data type mismatches when reading Parquet column [title]. ..."),
   * or null when it says nothing more than that the file failed.
   */
  private static String explanation(String message, String path) {
    if (message == null || !message.contains(path)) {
      return null;
    }
    String rest = message.substring(message.indexOf(path) + path.length())
        .replaceFirst("^\\.?\\s*", "")
        .replaceFirst("\\s*SQLSTATE: \\w+\\.?\\s*$", "")
        .strip();
    return rest.isEmpty() ? null : rest.lines().findFirst().orElse(null);
  }

  /** A {@link UserError} thrown inside a task reaches the driver wrapped; it keeps its own message. */
  private static UserError userError(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UserError e) {
        return e;
      }
    }
    return null;
  }

  private static String firstLine(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage().strip().lines().findFirst().orElse("");
    return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
