package org.mlmspark.pipeline;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSDataOutputStreamBuilder;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.s3a.RemoteFileChangedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per output location: a lock file created only if absent, holding its owner (host, pid, a
 * token) and a heartbeat the owner refreshes in the background. A crashed owner stops refreshing, so its lock
 * goes stale and the next run takes it over ({@link LockPolicy}); it is never stuck forever.
 *
 * <p>Create-if-absent is atomic on HDFS, on the local file system (an exclusive create, not Hadoop's
 * check-then-create) and on S3 through S3A's conditional PUT ({@code If-None-Match}, Hadoop 3.4.2+, on stores
 * that support it). Taking over a stale lock deletes it and creates a new one; should two runs do that at the
 * same moment, the heartbeat of the one that lost notices another owner and that run stops before publishing.
 */
public final class PipelineLock implements AutoCloseable {
  public static final String NAME = "pipeline.lock";
  /** S3A: create with {@code If-None-Match: *}, failing when another writer created the object first. */
  private static final String CONDITIONAL_CREATE = "fs.option.create.conditional.overwrite";
  private static final Logger LOG = LoggerFactory.getLogger(PipelineLock.class);

  /** What {@link #acquire} found. */
  public sealed interface Attempt permits Acquired, Held {}

  /** The lock is ours; {@code takenOver} describes the stale owner replaced, or is null. */
  public record Acquired(PipelineLock lock, String takenOver) implements Attempt {}

  /** A live run holds it. */
  public record Held(LockOwner owner, String reason) implements Attempt {}

  private final FileSystem fs;
  private final Path file;
  private final Clock clock;
  private final ScheduledExecutorService heartbeat;
  private volatile LockOwner owner;
  private volatile String lost;

  private PipelineLock(FileSystem fs, Path file, Clock clock, LockOwner owner, Duration interval) {
    this.fs = fs;
    this.file = file;
    this.clock = clock;
    this.owner = owner;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "pipeline-lock-heartbeat");
      thread.setDaemon(true);
      return thread;
    });
    heartbeat.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public static Attempt acquire(Path file, Configuration conf, Duration staleAfter, Clock clock)
      throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    if (fs instanceof LocalFileSystem local) {
      fs = local.getRaw(); // no .crc side file to go out of step with the lock
    }
    fs.mkdirs(file.getParent());
    String host = localHost();
    long pid = ProcessHandle.current().pid();
    String takenOver = null;
    LockOwner holder = null;
    String reason = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      Instant now = clock.instant();
      LockOwner me = new LockOwner(host, pid, UUID.randomUUID().toString(), now, now);
      if (createIfAbsent(fs, file, PipelineJson.write(me))) {
        return new Acquired(new PipelineLock(fs, file, clock, me, LockPolicy.heartbeatInterval(staleAfter)),
            takenOver);
      }
      holder = read(fs, file);
      if (holder == null) {
        continue; // released between our create and our read
      }
      LockPolicy.Assessment assessment = LockPolicy.assess(holder, now, staleAfter, host,
          id -> ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false));
      reason = assessment.reason();
      if (!assessment.stale()) {
        return new Held(holder, reason);
      }
      LockOwner again = read(fs, file);
      if (again != null && again.token().equals(holder.token())) {
        fs.delete(file, false);
        takenOver = holder + ": " + reason;
        LOG.warn("Taking over the lock {} of {}: {}", file, holder, reason);
      }
    }
    return new Held(holder, reason == null ? "could not create " + file : reason);
  }

  /** Fails if another run has taken the lock over (this one was too slow to refresh it). */
  public void check() {
    if (lost != null) {
      throw new IllegalStateException("lost the lock " + file + ": " + lost);
    }
  }

  /** Stops the heartbeat and removes the lock if it is still ours. */
  @Override
  public void close() throws IOException {
    heartbeat.shutdownNow();
    try {
      heartbeat.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LockOwner current = read(fs, file);
    if (current != null && current.token().equals(owner.token())) {
      fs.delete(file, false);
    }
  }

  private void beat() {
    try {
      LockOwner current = read(fs, file);
      if (current == null || !current.token().equals(owner.token())) {
        lost = current == null ? "the lock file disappeared" : "taken over by " + current;
        LOG.error("Lost the lock {}: {}", file, lost);
        heartbeat.shutdown();
        return;
      }
      LockOwner refreshed = owner.beating(clock.instant());
      try (OutputStream out = fs.create(file, true)) {
        out.write(PipelineJson.write(refreshed));
      }
      owner = refreshed;
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not refresh the lock {}: {}", file, e.toString()); // the next beat tries again
    }
  }

  private static boolean createIfAbsent(FileSystem fs, Path file, byte[] content) throws IOException {
    if (fs instanceof RawLocalFileSystem local) {
      try {
        Files.write(local.pathToFile(file).toPath(), content, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
    }
    FSDataOutputStreamBuilder<?, ?> builder = fs.createFile(file).overwrite(false);
    builder.opt(CONDITIONAL_CREATE, true);
    try (FSDataOutputStream out = builder.build()) {
      out.write(content);
      return true;
    } catch (FileAlreadyExistsException | RemoteFileChangedException e) { // the latter: S3's 412 on a lost race
      return false;
    }
  }

  /** The lock's owner, or null when there is no lock file. */
  static LockOwner read(FileSystem fs, Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = fs.open(file)) {
      bytes = in.readAllBytes();
    } catch (FileNotFoundException e) {
      return null;
    }
    try {
      return PipelineJson.read(bytes, LockOwner.class);
    } catch (IOException e) { // caught mid-write: judge it by its age alone
      try {
        return LockOwner.unreadable(Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime()));
      } catch (FileNotFoundException gone) {
        return null;
      }
    }
  }

  static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? "unknown-host" : env;
    }
  }
}
