package org.mlmspark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.testing.S3ProxyServer;

/** The lock on an S3-compatible store through S3A: create-if-absent, refusal while held, stale takeover. */
class OutputLockS3aTest {
  @TempDir Path tmp;

  @Test
  void theLockWorksOnS3a() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start(tmp)) {
      s3.createBucket("pipeline");
      Configuration conf = new Configuration();
      s3.applyTo(conf);
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path("s3a://pipeline/out/a.lock");
      FileSystem fs = file.getFileSystem(conf);
      Duration staleAfter = Duration.ofMinutes(10);

      OutputLock.Acquired first = assertInstanceOf(OutputLock.Acquired.class,
          OutputLock.acquire(file, conf, staleAfter, Clock.systemUTC()));
      OutputLock.Held held = assertInstanceOf(OutputLock.Held.class,
          OutputLock.acquire(file, conf, staleAfter, Clock.systemUTC()));
      assertEquals(ProcessHandle.current().pid(), held.owner().pid());
      first.lock().close();
      assertFalse(fs.exists(file));

      Instant now = Instant.now();
      try (OutputStream out = fs.create(file, false)) {
        out.write(new LockOwner("crashed-host", 9, "old", now.minusSeconds(9000), now.minusSeconds(900)).toJson());
      }
      OutputLock.Acquired takenOver = assertInstanceOf(OutputLock.Acquired.class,
          OutputLock.acquire(file, conf, staleAfter, Clock.systemUTC()));
      assertTrue(takenOver.takenOver().startsWith("pid 9 on crashed-host"), takenOver.takenOver());
      assertEquals(ProcessHandle.current().pid(), OutputLock.read(fs, file).pid());
      takenOver.lock().close();
      assertFalse(fs.exists(file));
    }
  }
}
