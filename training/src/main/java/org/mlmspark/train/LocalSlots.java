package org.mlmspark.train;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlmspark.cli.UserError;

/**
 * The task slots an embedded {@code local[N]} master offers, checked against {@code --workers} before Spark
 * starts: a data-parallel run needs one slot per worker at once. Cluster masters are checked by
 * {@link org.mlmspark.distributed.DataParallel} once executors register.
 */
public final class LocalSlots {
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");

  private LocalSlots() {}

  public static void check(int workers, String master, int taskCpus, int cores) {
    Matcher m = LOCAL.matcher(master.trim());
    if (!m.matches()) {
      return;
    }
    int threads = m.group(1) == null ? 1 : m.group(1).equals("*") ? cores : Integer.parseInt(m.group(1));
    int slots = threads / Math.max(1, taskCpus);
    if (workers > slots) {
      throw new UserError("--workers " + workers + " needs " + workers + " task slots at once, but --master "
          + master + " offers " + slots + ": use at most " + slots + " workers, or --master 'local[" + workers
          * Math.max(1, taskCpus) + "]'");
    }
  }
}
