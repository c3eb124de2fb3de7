package org.mlmspark.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongPredicate;

/**
 * Whether a lock held by someone else may be taken over. A run that crashed stops refreshing its heartbeat, so
 * its lock goes stale after {@code staleAfter}; on the same host a vanished process is certain at once.
 */
public final class LockPolicy {
  /** Whether the holder counts as alive, and why. */
  public record Assessment(boolean stale, String reason) {}

  private LockPolicy() {}

  /**
   * @param processAlive whether a process id on this host is running
   */
  public static Assessment assess(LockOwner owner, Instant now, Duration staleAfter, String localHost,
      LongPredicate processAlive) {
    if (owner.host().equals(localHost) && owner.pid() > 0 && !processAlive.test(owner.pid())) {
      return new Assessment(true, "its process " + owner.pid() + " on this host is gone");
    }
    Duration silence = Duration.between(owner.heartbeat(), now);
    if (silence.compareTo(staleAfter) > 0) {
      return new Assessment(true, "no heartbeat for " + silence.toSeconds() + " s (stale after "
          + staleAfter.toSeconds() + " s)");
    }
    return new Assessment(false, "heartbeat " + Math.max(0, silence.toSeconds()) + " s ago");
  }

  /** How often the holder refreshes its heartbeat: several times per stale period, so one slow write is harmless. */
  public static Duration heartbeatInterval(Duration staleAfter) {
    Duration interval = staleAfter.dividedBy(4);
    return interval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : interval;
  }
}
