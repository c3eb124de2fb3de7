package org.mlmspark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file on the local file system through Hadoop's API, as the pipeline uses it. */
class OutputLockTest {
  private static final Duration STALE_AFTER = Duration.ofMinutes(10);

  @TempDir java.nio.file.Path dir;

  private Path lockFile() {
    return new Path(dir.resolve("out").resolve("a.lock").toUri());
  }

  private OutputLock.Attempt acquire(Duration staleAfter) throws Exception {
    return OutputLock.acquire(lockFile(), new Configuration(), staleAfter, Clock.systemUTC());
  }

  private void writeLock(LockOwner owner) throws Exception {
    Files.createDirectories(dir.resolve("out"));
    Files.write(dir.resolve("out").resolve("a.lock"), owner.toJson());
  }

  @Test
  void oneHolderAtATimeAndTheLockIsGoneAfterRelease() throws Exception {
    OutputLock.Acquired first = assertInstanceOf(OutputLock.Acquired.class, acquire(STALE_AFTER));
    assertNull(first.takenOver());
    OutputLock.Held held = assertInstanceOf(OutputLock.Held.class, acquire(STALE_AFTER));
    assertEquals(ProcessHandle.current().pid(), held.owner().pid());
    first.lock().close();
    assertFalse(Files.exists(dir.resolve("out").resolve("a.lock")));
    assertInstanceOf(OutputLock.Acquired.class, acquire(STALE_AFTER)).lock().close();
  }

  @Test
  void aStaleLockOfAnotherHostIsTakenOverAndALiveOneIsNot() throws Exception {
    Instant now = Instant.now();
    writeLock(new LockOwner("other-host", 4242, "theirs", now.minusSeconds(7200), now.minusSeconds(60)));
    OutputLock.Held held = assertInstanceOf(OutputLock.Held.class, acquire(STALE_AFTER));
    assertEquals("other-host", held.owner().host());
    assertEquals("heartbeat 60 s ago", held.reason());

    writeLock(new LockOwner("other-host", 4242, "theirs", now.minusSeconds(7200), now.minusSeconds(3600)));
    OutputLock.Acquired acquired = assertInstanceOf(OutputLock.Acquired.class, acquire(STALE_AFTER));
    assertTrue(acquired.takenOver().contains("no heartbeat for 3600 s"), acquired.takenOver());
    LockOwner now_ = OutputLock.read(FileSystem.getLocal(new Configuration()).getRaw(), lockFile());
    assertEquals(ProcessHandle.current().pid(), now_.pid());
    acquired.lock().close();
  }

  @Test
  void theHolderRefreshesItsHeartbeatAndNoticesWhenItLostTheLock() throws Exception {
    OutputLock.Acquired acquired = assertInstanceOf(OutputLock.Acquired.class, acquire(Duration.ofSeconds(2)));
    FileSystem raw = FileSystem.getLocal(new Configuration()).getRaw();
    Instant first = OutputLock.read(raw, lockFile()).heartbeat();
    Thread.sleep(2500); // the heartbeat interval is 1 s for a 2 s stale limit
    LockOwner refreshed = OutputLock.read(raw, lockFile());
    assertTrue(refreshed.heartbeat().isAfter(first), first + " -> " + refreshed.heartbeat());
    acquired.lock().check();

    writeLock(new LockOwner("other-host", 1, "successor", Instant.now(), Instant.now()));
    Thread.sleep(2500);
    org.mlmspark.cli.UserError lost = assertThrows(org.mlmspark.cli.UserError.class, () -> acquired.lock().check());
    assertTrue(lost.getMessage().contains("taken over by pid 1 on other-host"), lost.getMessage());
    acquired.lock().close();
    assertEquals("successor", OutputLock.read(raw, lockFile()).token(), "a lost lock is not deleted");
  }
}
