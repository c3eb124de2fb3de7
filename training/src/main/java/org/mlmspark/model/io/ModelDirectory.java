package org.mlmspark.model.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mlmspark.hub.HubClient;
import org.mlmspark.storage.ContainedFiles;
import org.mlmspark.tokenizer.TokenizerFiles;

/**
 * An HF model directory ({@code config.json}, safetensors weights, tokenizer files) on any Hadoop file system:
 * local, {@code file://}, {@code hdfs://}, {@code s3a://}. The directory is untrusted: every file read stays
 * inside it, is a regular file, and is read with a size cap ({@link ContainedFiles}).
 */
public final class ModelDirectory {
  /** What a hub snapshot needs besides config.json: weights (single or sharded) and the tokenizer files. */
  private static final List<String> HUB_OPTIONAL_FILES = Stream.concat(
      Stream.of(Checkpoints.WEIGHTS, Checkpoints.WEIGHTS_INDEX), Checkpoints.TOKENIZER_FILES.stream()).toList();

  static final long MAX_JSON_BYTES = 16L << 20;
  static final long MAX_TOKENIZER_BYTES = 256L << 20;

  private final ContainedFiles files;

  private ModelDirectory(ContainedFiles files) {
    this.files = files;
  }

  /**
   * The one place a user's {@code --model ID|DIR} becomes a directory. An existing path wins; a name shaped like a
   * hub id ({@code distilroberta-base}, {@code org/name}) is downloaded once into the HF cache (honouring
   * {@code HF_HOME}, {@code HF_HUB_CACHE}, {@code HF_TOKEN}, {@code HF_HUB_OFFLINE}) and read from its snapshot.
   */
  public static ModelDirectory resolve(String spec, Configuration hadoopConf) throws IOException {
    return resolve(spec, hadoopConf, HubClient.fromEnvironment());
  }

  public static ModelDirectory resolve(String spec, Configuration hadoopConf, HubClient hub) throws IOException {
    Path path = new Path(spec);
    FileSystem fs = path.getFileSystem(hadoopConf);
    if (fs.exists(path)) {
      if (!fs.getFileStatus(path).isDirectory()) {
        throw new FileNotFoundException(spec + " is a file; a model is a directory holding config.json");
      }
      return of(path, hadoopConf);
    }
    if (path.toUri().getScheme() == null && HubClient.isRepoId(spec)) {
      return fromHub(spec, hub, hadoopConf);
    }
    throw new FileNotFoundException("model directory not found: " + spec);
  }

  /** Fetches a hub model's files into the HF cache; the snapshot folder is then an ordinary model directory. */
  private static ModelDirectory fromHub(String repoId, HubClient hub, Configuration hadoopConf) throws IOException {
    java.nio.file.Path config = hub.file(repoId, Checkpoints.CONFIG);
    for (String file : HUB_OPTIONAL_FILES) {
      hub.optionalFile(repoId, file);
    }
    ModelDirectory snapshot = of(new Path(config.getParent().toUri()), hadoopConf);
    for (String weights : Checkpoints.weightFiles(snapshot)) {
      if (!snapshot.has(weights)) {
        hub.file(repoId, weights);
      }
    }
    return snapshot;
  }

  public static ModelDirectory of(Path root, Configuration hadoopConf) throws IOException {
    FileSystem fs = root.getFileSystem(hadoopConf);
    return new ModelDirectory(ContainedFiles.of(fs, fs.makeQualified(root), "model directory"));
  }

  public Path root() {
    return files.root();
  }

  /** Whether the directory has an entry {@code file} (reading it may still refuse it). */
  public boolean has(String file) throws IOException {
    return files.exists(file);
  }

  /**
   * Opens {@code file}: a plain relative name of a regular file that stays inside the directory (see
   * {@link ContainedFiles}).
   */
  public InputStream open(String file) throws IOException {
    return files.open(file);
  }

  /** The length of {@code file}, with the checks of {@link #open}. */
  public long length(String file) throws IOException {
    return files.status(file).getLen();
  }

  /**
   * The whole of {@code file}, refused beyond a cap far above any real file of its kind: {@code tokenizer.json}
   * 256 MB, the JSON files beside it ({@code config.json}, {@code tokenizer_config.json}, an index) 16 MB.
   */
  public byte[] read(String file) throws IOException {
    return files.read(file, file.equals(TokenizerFiles.TOKENIZER) ? MAX_TOKENIZER_BYTES : MAX_JSON_BYTES);
  }

  @Override
  public String toString() {
    return files.root().toString();
  }
}
