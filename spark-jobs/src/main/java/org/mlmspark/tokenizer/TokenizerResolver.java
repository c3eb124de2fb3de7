package org.mlmspark.tokenizer;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Turns a {@code --tokenizer ID|DIR|FILE} value into a {@link ResolvedTokenizer}. */
public final class TokenizerResolver {
  private TokenizerResolver() {}

  /**
   * Resolves a tokenizer.json file, or a directory holding one, on any Hadoop file system
   * (local, {@code file://}, {@code hdfs://}, {@code s3a://}).
   */
  public static ResolvedTokenizer resolve(String spec, Configuration hadoopConf) throws IOException {
    Path path = new Path(spec);
    FileSystem fs = path.getFileSystem(hadoopConf);
    if (!fs.exists(path)) {
      throw new FileNotFoundException("tokenizer not found: " + spec);
    }
    Path file = fs.getFileStatus(path).isDirectory() ? new Path(path, "tokenizer.json") : path;
    if (!fs.exists(file)) {
      throw new FileNotFoundException("no tokenizer.json in " + spec);
    }
    byte[] json;
    try (InputStream in = fs.open(file)) {
      json = in.readAllBytes();
    }
    return new ResolvedTokenizer(spec, json, sha256(json), "read from " + file);
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
