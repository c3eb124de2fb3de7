package org.mlmspark.train.io;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.mlmspark.train.TrainStep;
import org.mlmspark.train.Trainer;
import org.mlmspark.train.TrainingHistory.EvalLog;
import org.mlmspark.train.TrainingHistory.StepLog;
import org.mlmspark.train.TrainingState;
import org.mlmspark.train.report.TensorBoardEvents;

/**
 * {@code --report-to tensorboard}: the run's metrics as TensorBoard event files, where and how HF Trainer's
 * TensorBoardCallback writes them: {@code OUTPUT/runs/<MonDD_HH-MM-SS>_<host>/events.out.tfevents.<secs>.<host>.
 * <pid>.<n>}, the hyperparameters as text at step 0 ({@code args}, {@code model_config}), then per step {@code
 * train/loss}, {@code train/learning_rate}, {@code train/grad_norm}, {@code train/epoch}, {@code train/tokens_per_s}
 * and per evaluation {@code eval/loss}, {@code eval/perplexity}, {@code eval/accuracy}, {@code eval/runtime}, the
 * values of {@code metrics.jsonl}.
 *
 * <p>Any Hadoop file system. Where the stream can flush (local disk, HDFS) every step is flushed, so TensorBoard
 * follows the run live. Object stores publish a file only when it is closed and cannot append, so there the
 * file is closed after every evaluation and before every checkpoint ({@link #persist()}, {@link #onCheckpoint}), and the next point
 * opens a new file in the same directory; TensorBoard reads a directory's files in name order, which is the order
 * they were written (the seconds in the name never repeat within a JVM).
 *
 * <p>A run that continues (resumed from a checkpoint, or a data-parallel stage retried) writes into the newest
 * run directory under {@code runs/}, starting its file with a session start at the step after its checkpoint:
 * TensorBoard then drops the points its predecessor logged after that checkpoint, and the curves go on.
 */
public final class TensorBoardLog implements Trainer.Listener, Closeable {
  public static final String RUNS = "runs";

  private static final String PREFIX = "events.out.tfevents.";
  private static final Pattern EVENT_FILE = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)\\..*");
  private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("MMMdd_HH-mm-ss", Locale.ENGLISH);
  /** PyTorch's per-process file counter, the last part of the name. */
  private static final AtomicInteger FILES = new AtomicInteger();
  /**
   * The seconds in the last file name of this JVM: a new name takes the clock's or one more, so that the names
   * of a directory sort in the order their files were written (the counter alone would put .10 before .9).
   */
  private static final AtomicLong LAST_FILE_SECONDS = new AtomicLong();

  private final FileSystem fs;
  private final Path runDirectory;
  private final String host;
  private final long pid = ProcessHandle.current().pid();
  private byte[] opening;
  private FSDataOutputStream out;
  private boolean flushable;

  private TensorBoardLog(FileSystem fs, Path runDirectory, String host, byte[] opening) {
    this.fs = fs;
    this.runDirectory = runDirectory;
    this.host = host;
    this.opening = opening;
  }

  /**
   * Starts the log of a run at {@code startStep}: a new run directory with the hyperparameter texts, or, when
   * {@code output} already holds one, the newest, continued after {@code startStep}.
   *
   * @param texts tag to text, written at step 0 of a new run directory (HF: args, model_config)
   */
  public static TensorBoardLog open(Path output, Configuration conf, long startStep, Map<String, String> texts)
      throws IOException {
    Path runs = new Path(output, RUNS);
    FileSystem fs = runs.getFileSystem(conf);
    if (fs instanceof LocalFileSystem local) {
      fs = local.getRaw(); // its streams flush (the checksummed ones do not), and no .crc files beside the events
    }
    String host = hostName();
    double now = now();
    Optional<Path> newest = newestRun(fs, runs);
    if (newest.isPresent()) {
      return new TensorBoardLog(fs, newest.get(), host,
          concat(TensorBoardEvents.fileVersion(now), TensorBoardEvents.sessionStart(now, startStep + 1)));
    }
    byte[] opening = TensorBoardEvents.fileVersion(now);
    for (Map.Entry<String, String> text : texts.entrySet()) {
      opening = concat(opening, TensorBoardEvents.text(now, 0, text.getKey(), text.getValue()));
    }
    Path run = new Path(runs, LocalDateTime.now().format(RUN_NAME) + "_" + host);
    return new TensorBoardLog(fs, run, host, opening);
  }

  public Path runDirectory() {
    return runDirectory;
  }

  /** A step's scalars, as HF's on_log writes a training log entry (prefix train/). */
  @Override
  public void onStep(StepLog step, TrainStep.Result result) {
    double now = now();
    writeUnchecked(concat(
        TensorBoardEvents.scalar(now, step.step(), "train/loss", step.loss()),
        TensorBoardEvents.scalar(now, step.step(), "train/learning_rate", step.learningRate()),
        TensorBoardEvents.scalar(now, step.step(), "train/grad_norm", step.gradNorm()),
        TensorBoardEvents.scalar(now, step.step(), "train/epoch", step.epoch()),
        TensorBoardEvents.scalar(now, step.step(), "train/tokens_per_s", step.tokensPerSecond())));
  }

  /** An evaluation's scalars (HF's eval_ keys become eval/), then {@link #persist()}. */
  @Override
  public void onEval(EvalLog eval) {
    double now = now();
    writeUnchecked(concat(
        TensorBoardEvents.scalar(now, eval.step(), "eval/loss", eval.loss()),
        TensorBoardEvents.scalar(now, eval.step(), "eval/perplexity", eval.perplexity()),
        TensorBoardEvents.scalar(now, eval.step(), "eval/accuracy", eval.accuracy()),
        TensorBoardEvents.scalar(now, eval.step(), "eval/runtime", eval.runtimeSeconds())));
    try {
      persist();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Before a checkpoint is written: {@link #persist()}. */
  @Override
  public void onCheckpoint(TrainingState state) throws IOException {
    persist();
  }

  /**
   * Makes everything written so far durable and visible: a flush where the file system can, else the file is
   * closed (the next point opens another). Called before a checkpoint, so a run resumed from it finds its
   * points up to there.
   */
  public void persist() throws IOException {
    if (out != null && !flushable) {
      out.close();
      out = null;
    }
  }

  /** The listener's methods cannot throw checked exceptions: a failed write fails the run as any I/O error. */
  private void writeUnchecked(byte[] records) {
    try {
      write(records);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(byte[] records) throws IOException {
    if (out == null) {
      long seconds = LAST_FILE_SECONDS.updateAndGet(last -> Math.max((long) now(), last + 1));
      Path file = new Path(runDirectory,
          String.format(Locale.ROOT, "%s%010d.%s.%d.%d", PREFIX, seconds, host, pid, FILES.getAndIncrement()));
      out = fs.create(file, false);
      flushable = out.hasCapability(StreamCapabilities.HFLUSH);
      if (opening != null) {
        out.write(opening);
      } else {
        out.write(TensorBoardEvents.fileVersion(now()));
      }
      opening = null;
    }
    out.write(records);
    if (flushable) {
      out.hflush();
    }
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }

  /** The run directory holding the latest event file (by the seconds in its name), if any. */
  static Optional<Path> newestRun(FileSystem fs, Path runs) throws IOException {
    Path newest = null;
    long newestSeconds = -1;
    FileStatus[] dirs;
    try {
      dirs = fs.listStatus(runs);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    for (FileStatus dir : dirs) {
      if (!dir.isDirectory()) {
        continue;
      }
      for (FileStatus file : fs.listStatus(dir.getPath())) {
        Matcher name = EVENT_FILE.matcher(file.getPath().getName());
        if (name.matches() && Long.parseLong(name.group(1)) > newestSeconds) {
          newestSeconds = Long.parseLong(name.group(1));
          newest = dir.getPath();
        }
      }
    }
    return Optional.ofNullable(newest);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] joined = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, joined, at, part.length);
      at += part.length;
    }
    return joined;
  }
}
