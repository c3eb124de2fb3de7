package org.mlmspark.model.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An HF model directory ({@code config.json}, safetensors weights, tokenizer files) on any Hadoop file system:
 * local, {@code file://}, {@code hdfs://}, {@code s3a://}.
 */
public final class ModelDirectory {
  private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][\\w.-]*(/[\\w.-]+)?");

  private final FileSystem fs;
  private final Path root;

  private ModelDirectory(FileSystem fs, Path root) {
    this.fs = fs;
    this.root = root;
  }

  /**
   * The one place a user's {@code --model ID|DIR} becomes a directory. An existing path wins; a name shaped like a
   * hub id ({@code distilroberta-base}, {@code org/name}) is where the hub client plugs in.
   */
  public static ModelDirectory resolve(String spec, Configuration hadoopConf) throws IOException {
    Path path = new Path(spec);
    FileSystem fs = path.getFileSystem(hadoopConf);
    if (fs.exists(path)) {
      if (!fs.getFileStatus(path).isDirectory()) {
        throw new FileNotFoundException(spec + " is a file; a model is a directory holding config.json");
      }
      return new ModelDirectory(fs, fs.makeQualified(path));
    }
    if (path.toUri().getScheme() == null && HUB_ID.matcher(spec).matches()) {
      throw new FileNotFoundException("no model directory " + spec + " (Hugging Face hub ids are not resolved by"
          + " this build; pass a local or s3a:// directory holding config.json and model.safetensors)");
    }
    throw new FileNotFoundException("model directory not found: " + spec);
  }

  public static ModelDirectory of(Path root, Configuration hadoopConf) throws IOException {
    FileSystem fs = root.getFileSystem(hadoopConf);
    return new ModelDirectory(fs, fs.makeQualified(root));
  }

  public Path root() {
    return root;
  }

  public boolean has(String file) throws IOException {
    return fs.exists(new Path(root, file));
  }

  public InputStream open(String file) throws IOException {
    Path path = new Path(root, file);
    if (!fs.exists(path)) {
      throw new FileNotFoundException("no " + file + " in model directory " + root);
    }
    return fs.open(path);
  }

  public byte[] read(String file) throws IOException {
    try (InputStream in = open(file)) {
      return in.readAllBytes();
    }
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
