package org.mlmspark.storage;

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
import org.mlmspark.cli.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer at a time per output location: a lock file created only if absent, holding its owner (host, pid, a
 * token) and a heartbeat the owner refreshes in the background. A crashed owner stops refreshing, so its lock
 * goes stale and the next run takes it over ({@link LockPolicy}); it is never stuck forever. Every command that
 * writes a directory holds one ({@link #forOutput}, {@link AtomicOutput}); {@code bin/pipeline} holds one on its
 * whole output location.
 *
 * <p>Create-if-absent is atomic on HDFS, on the local file system (an exclusive create, not Hadoop's
 * check-then-create) and on S3 through S3A's conditional PUT ({@code If-None-Match}, Hadoop 3.4.2+, on stores
 * that support it). Taking over a stale lock deletes it and creates a new one; should two runs do that at the
 * same moment, the heartbeat of the one that lost notices another owner and that run stops before publishing.
 */
public final class OutputLock implements AutoCloseable {
  /**
   * How long a holder may stay silent before its lock counts as abandoned. On the holder's own host a vanished
   * process is recognised at once; this bounds the wait after a crash elsewhere.
   */
  public static final Duration STALE_AFTER = Duration.ofMinutes(10);
  /** The exit code of a command that finds its output locked by another live run. */
  public static final int LOCKED_EXIT_CODE = 3;
  /** S3A: create with {@code If-None-Match: *}, failing when another writer created the object first. */
  private static final String CONDITIONAL_CREATE = "fs.option.create.conditional.overwrite";
  private static final Logger LOG = LoggerFactory.getLogger(OutputLock.class);

  /** What {@link #acquire} found. */
  public sealed interface Attempt permits Acquired, Held {}

  /** The lock is ours; {@code takenOver} describes the stale owner replaced, or is null. */
  public record Acquired(OutputLock lock, String takenOver) implements Attempt {}

  /** A live run holds it. */
  public record Held(LockOwner owner, String reason) implements Attempt {}

  private final FileSystem fs;
  private final Path file;
  private final Clock clock;
  private final ScheduledExecutorService heartbeat;
  private volatile LockOwner owner;
  private volatile String lost;

  private OutputLock(FileSystem fs, Path file, Clock clock, LockOwner owner, Duration interval) {
    this.fs = fs;
    this.file = file;
    this.clock = clock;
    this.owner = owner;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "output-lock-heartbeat");
      thread.setDaemon(true);
      return thread;
    });
    heartbeat.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The lock file of an output directory: {@code .NAME.lock} beside it, so it survives the directory's swap. */
  public static Path fileFor(Path output) {
    Path path = new Path(output.toString()); // the String form drops a trailing slash
    if (path.getParent() == null) {
      throw new UserError("the output must be a directory below the file system root: " + output);
    }
    return new Path(path.getParent(), "." + path.getName() + ".lock");
  }

  /**
   * Takes the lock of the output directory {@code output} for this process, or fails with a {@link UserError}
   * (exit {@value #LOCKED_EXIT_CODE}) naming the live run that holds it.
   */
  public static OutputLock forOutput(Path output, Configuration conf) throws IOException {
    Path file = fileFor(output);
    Attempt attempt = acquire(file, conf, STALE_AFTER, Clock.systemUTC());
    if (attempt instanceof Held held) {
      throw new UserError(output + " is being written by another run, " + held.owner() + ", " + held.reason()
          + " (lock " + file + ")", LOCKED_EXIT_CODE, null);
    }
    Acquired acquired = (Acquired) attempt;
    if (acquired.takenOver() != null) {
      LOG.warn("Took over the lock {} of {}", file, acquired.takenOver());
    }
    return acquired.lock();
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
      if (createIfAbsent(fs, file, me.toJson())) {
        return new Acquired(new OutputLock(fs, file, clock, me, LockPolicy.heartbeatInterval(staleAfter)),
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

  /** Unique to this acquisition: names what only this run may remove (its staging directory). */
  public String token() {
    return owner.token();
  }

  /** Fails if another run has taken the lock over (this one was too slow to refresh it). */
  public void check() {
    if (lost != null) {
      throw new UserError("lost the lock " + file + ": " + lost, UserError.FAILED, null);
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
        out.write(refreshed.toJson());
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
      return LockOwner.fromJson(bytes);
    } catch (IOException e) { // caught mid-write: judge it by its age alone
      try {
        return LockOwner.unreadable(Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime()));
      } catch (FileNotFoundException gone) {
        return null;
      }
    }
  }

  public static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? "unknown-host" : env;
    }
  }
}
