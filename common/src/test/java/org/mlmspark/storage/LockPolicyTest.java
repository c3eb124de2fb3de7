package org.mlmspark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LockPolicyTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration STALE_AFTER = Duration.ofMinutes(10);

  private static LockOwner owner(String host, long pid, Duration silentFor) {
    return new LockOwner(host, pid, "t", NOW.minus(Duration.ofHours(5)), NOW.minus(silentFor));
  }

  @Test
  void aRecentHeartbeatIsLiveWhateverTheHost() {
    LockPolicy.Assessment assessment =
        LockPolicy.assess(owner("elsewhere", 7, Duration.ofMinutes(9)), NOW, STALE_AFTER, "here", pid -> false);
    assertFalse(assessment.stale());
    assertEquals("heartbeat 540 s ago", assessment.reason());
  }

  @Test
  void aHeartbeatOlderThanTheLimitIsStale() {
    LockPolicy.Assessment assessment =
        LockPolicy.assess(owner("elsewhere", 7, Duration.ofMinutes(11)), NOW, STALE_AFTER, "here", pid -> true);
    assertTrue(assessment.stale());
    assertEquals("no heartbeat for 660 s (stale after 600 s)", assessment.reason());
  }

  @Test
  void aDeadProcessOnThisHostIsStaleAtOnce() {
    LockPolicy.Assessment dead =
        LockPolicy.assess(owner("here", 7, Duration.ZERO), NOW, STALE_AFTER, "here", pid -> pid != 7);
    assertTrue(dead.stale());
    assertEquals("its process 7 on this host is gone", dead.reason());
    assertFalse(LockPolicy.assess(owner("here", 7, Duration.ZERO), NOW, STALE_AFTER, "here", pid -> true).stale());
  }

  @Test
  void anUnreadableLockIsJudgedByItsAge() {
    assertFalse(LockPolicy.assess(LockOwner.unreadable(NOW.minusSeconds(5)), NOW, STALE_AFTER, "here",
        pid -> false).stale());
    assertTrue(LockPolicy.assess(LockOwner.unreadable(NOW.minusSeconds(601)), NOW, STALE_AFTER, "here",
        pid -> false).stale());
  }

  @Test
  void theHeartbeatBeatsSeveralTimesPerStalePeriod() {
    assertEquals(Duration.ofSeconds(150), LockPolicy.heartbeatInterval(STALE_AFTER));
    assertEquals(Duration.ofSeconds(1), LockPolicy.heartbeatInterval(Duration.ofSeconds(2)));
  }
}
