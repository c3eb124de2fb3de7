package org.mlmspark.tokenizer;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mlmspark.hub.HubClient;
import org.mlmspark.hub.HubException;
import org.mlmspark.hub.HubFile;

/**
 * Turns a {@code --tokenizer ID|DIR|FILE} value into a {@link ResolvedTokenizer}: an existing file or directory
 * on any Hadoop file system wins (as {@code from_pretrained} prefers a local folder); otherwise a hub id's
 * {@code tokenizer.json} comes from the HF cache or the hub; and when the hub cannot be reached for a
 * RoBERTa or GPT-2 tokenizer, a {@link BuiltInTokenizer} built from Maven Central alone stands in.
 */
public final class TokenizerResolver {
  static final String TOKENIZER_FILE = "tokenizer.json";

  private TokenizerResolver() {}

  /** Resolves with the hub settings of the environment ({@code HF_*} variables). */
  public static ResolvedTokenizer resolve(String spec, Configuration hadoopConf) throws IOException {
    return resolve(spec, hadoopConf, HubClient.fromEnvironment());
  }

  public static ResolvedTokenizer resolve(String spec, Configuration hadoopConf, HubClient hub) throws IOException {
    Path path = new Path(spec);
    FileSystem fs = path.getFileSystem(hadoopConf);
    if (fs.exists(path)) {
      return fromFileSystem(spec, fs, path);
    }
    if (path.toUri().getScheme() == null && HubClient.isRepoId(spec)) {
      return fromHub(spec, hub);
    }
    throw new FileNotFoundException("tokenizer not found: " + spec
        + " (expected a tokenizer.json file, a directory holding one, or a hub id such as distilroberta-base)");
  }

  private static ResolvedTokenizer fromFileSystem(String spec, FileSystem fs, Path path) throws IOException {
    Path file = fs.getFileStatus(path).isDirectory() ? new Path(path, TOKENIZER_FILE) : path;
    if (!fs.exists(file)) {
      throw new FileNotFoundException("no " + TOKENIZER_FILE + " in " + spec);
    }
    byte[] json;
    try (InputStream in = fs.open(file)) {
      json = in.readAllBytes();
    }
    return new ResolvedTokenizer(spec, json, sha256(json), "read from " + file);
  }

  private static ResolvedTokenizer fromHub(String repoId, HubClient hub) throws IOException {
    HubFile file;
    try {
      file = hub.fetch(repoId, TOKENIZER_FILE, HubClient.DEFAULT_REVISION);
    } catch (HubException e) {
      Optional<BuiltInTokenizer> standIn = BuiltInTokenizer.standingInFor(repoId);
      if (e.kind() == HubException.Kind.UNREACHABLE && standIn.isPresent()) {
        byte[] json = standIn.get().json();
        return new ResolvedTokenizer(standIn.get().id(), json, sha256(json),
            "hub unreachable (" + e.getMessage() + "); using " + standIn.get().description());
      }
      if (e.kind() == HubException.Kind.ENTRY_NOT_FOUND) {
        throw new FileNotFoundException(repoId + " has no " + TOKENIZER_FILE + " on the hub (only fast tokenizers"
            + " are supported: save one with AutoTokenizer.from_pretrained(id).save_pretrained(dir) and pass dir)");
      }
      throw e;
    }
    byte[] json = Files.readAllBytes(file.path());
    String where = switch (file.origin()) {
      case DOWNLOADED -> "downloaded from " + hub.settings().endpoint() + " into the HF cache";
      case CACHED -> "from the HF cache, current on " + hub.settings().endpoint();
      case CACHED_UNVERIFIED -> "from the HF cache without asking the hub (offline or unreachable)";
    };
    return new ResolvedTokenizer(repoId, json, sha256(json),
        "hub tokenizer " + repoId + " at commit " + file.commit() + ", " + where + ": " + file.path());
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
