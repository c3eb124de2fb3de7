package org.mlmspark.pipeline;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mlmspark.storage.AtomicOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code OUTPUT/runs/}: one directory per run, named by its UTC start time, holding {@code run.json} and what the
 * run recorded beside it. {@code run.json} is replaced through a complete temporary copy
 * ({@link AtomicOutput#writeFile}), so a crash while writing leaves one readable version.
 */
final class RunStore {
  static final String RECORD = "run.json";
  private static final String RECORD_IN_PROGRESS = RECORD + ".tmp";
  private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final Logger LOG = LoggerFactory.getLogger(RunStore.class);

  private final FileSystem fs;
  private final Path root;

  RunStore(FileSystem fs, Path root) {
    this.fs = fs;
    this.root = root;
  }

  Path dir(String id) {
    return new Path(root, id);
  }

  /** A new run's id: its start time, made unique if another run started in the same millisecond. */
  String newId(Instant now) throws IOException {
    Instant at = now;
    while (fs.exists(dir(ID.format(at)))) {
      at = at.plusMillis(1);
    }
    return ID.format(at);
  }

  /** The newest run, whatever its status, and the newest finished (published or refused) one. */
  record Latest(Optional<RunRecord> latest, Optional<RunRecord> lastFinished) {}

  Latest latest() throws IOException {
    RunRecord newest = null;
    for (String id : idsNewestFirst()) {
      Optional<RunRecord> record = read(id);
      if (record.isEmpty()) {
        continue;
      }
      if (newest == null) {
        newest = record.get();
      }
      if (record.get().status().finished()) {
        return new Latest(Optional.of(newest), record);
      }
    }
    return new Latest(Optional.ofNullable(newest), Optional.empty());
  }

  void write(RunRecord record) throws IOException {
    Path dir = dir(record.id());
    byte[] content = PipelineJson.write(record);
    AtomicOutput.writeFile(fs, new Path(dir, RECORD), new Path(dir, RECORD_IN_PROGRESS), true,
        out -> out.write(content));
  }

  void writeFile(Path file, byte[] content) throws IOException {
    try (OutputStream out = fs.create(file, true)) {
      out.write(content);
    }
  }

  Optional<RunRecord> read(String id) throws IOException {
    for (String name : List.of(RECORD, RECORD_IN_PROGRESS)) { // the temporary copy is complete once the record is gone
      try (InputStream in = fs.open(new Path(dir(id), name))) {
        return Optional.of(PipelineJson.read(in.readAllBytes(), RunRecord.class));
      } catch (FileNotFoundException e) {
        // try the next
      } catch (IOException e) {
        LOG.warn("Ignoring the unreadable run record {}/{}: {}", dir(id), name, e.getMessage());
      }
    }
    return Optional.empty();
  }

  private List<String> idsNewestFirst() throws IOException {
    if (!fs.exists(root)) {
      return List.of();
    }
    return Arrays.stream(fs.listStatus(root)).filter(FileStatus::isDirectory).map(s -> s.getPath().getName())
        .sorted(Comparator.reverseOrder()).toList();
  }
}
