package org.mlmspark.tokenizer;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mlmspark.hub.HubClient;
import org.mlmspark.hub.HubException;
import org.mlmspark.hub.HubFile;
import org.mlmspark.storage.ContainedFiles;

/**
 * Turns a {@code --tokenizer ID|DIR|FILE} value into a {@link ResolvedTokenizer}: an existing file or directory
 * on any Hadoop file system wins (as {@code from_pretrained} prefers a local folder); otherwise a hub id's
 * {@code tokenizer.json} comes from the HF cache or the hub; and when the hub cannot be reached for a
 * RoBERTa or GPT-2 tokenizer, a {@link BuiltInTokenizer} built from Maven Central alone stands in.
 */
public final class TokenizerResolver {
  static final String TOKENIZER_FILE = "tokenizer.json";
  /** Far above any published tokenizer.json (the largest are tens of MB); a read never goes beyond. */
  public static final long MAX_TOKENIZER_BYTES = 256L << 20;
  /** What a hub tokenizer directory needs besides tokenizer.json: the roles of its special tokens. */
  private static final List<String> HUB_COMPANION_FILES = List.of("tokenizer_config.json", "special_tokens_map.json");

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
    Path qualified = fs.makeQualified(path);
    boolean directory = fs.getFileStatus(qualified).isDirectory();
    if (!directory && "file".equals(qualified.toUri().getScheme())) {
      // The user named this file: where a symlink of theirs points is their choice, so read its target's folder.
      qualified = new Path(java.nio.file.Paths.get(qualified.toUri()).toRealPath().toUri());
    }
    // tokenizer.json inside a named directory is read like a model directory's: a regular file inside it, capped.
    ContainedFiles files = ContainedFiles.of(fs, directory ? qualified : qualified.getParent(), "tokenizer directory");
    String name = directory ? TOKENIZER_FILE : qualified.getName();
    byte[] json = files.read(name, MAX_TOKENIZER_BYTES);
    return new ResolvedTokenizer(spec, json, sha256(json), "read from " + new Path(files.root(), name));
  }

  /**
   * Like {@link #resolve}, but as a directory of tokenizer files ({@code tokenizer.json} and, where there is one,
   * {@code tokenizer_config.json} naming the special tokens' roles), which is what a model directory carries: an
   * existing directory as it is, a hub id's files from the HF cache or the hub, or the built-in stand-in's
   * directory when the hub cannot be reached.
   */
  public static TokenizerDirectory resolveDirectory(String spec, Configuration hadoopConf, HubClient hub)
      throws IOException {
    Path path = new Path(spec);
    FileSystem fs = path.getFileSystem(hadoopConf);
    if (fs.exists(path)) {
      if (!fs.getFileStatus(path).isDirectory()) {
        throw new FileNotFoundException(spec + " is a file; give the directory holding " + TOKENIZER_FILE
            + " and tokenizer_config.json");
      }
      return new TokenizerDirectory(spec, fs.makeQualified(path), "read from " + spec);
    }
    if (path.toUri().getScheme() == null && HubClient.isRepoId(spec)) {
      HubFile file;
      try {
        file = fetchTokenizerJson(spec, hub);
      } catch (HubException e) {
        BuiltInTokenizer standIn = standInWhenUnreachable(spec, e);
        return new TokenizerDirectory(standIn.id(), new Path(standIn.directory().toUri()), fallbackReason(e, standIn));
      }
      for (String optional : HUB_COMPANION_FILES) {
        hub.optionalFile(spec, optional);
      }
      return new TokenizerDirectory(spec, new Path(file.path().getParent().toUri()),
          "hub tokenizer " + spec + " at commit " + file.commit() + ": " + file.path().getParent());
    }
    throw new FileNotFoundException("tokenizer not found: " + spec
        + " (expected a directory holding tokenizer.json, or a hub id such as distilroberta-base)");
  }

  private static ResolvedTokenizer fromHub(String repoId, HubClient hub) throws IOException {
    HubFile file;
    try {
      file = fetchTokenizerJson(repoId, hub);
    } catch (HubException e) {
      BuiltInTokenizer standIn = standInWhenUnreachable(repoId, e);
      byte[] json = standIn.json();
      return new ResolvedTokenizer(standIn.id(), json, sha256(json), fallbackReason(e, standIn));
    }
    Path snapshot = new Path(file.path().getParent().toUri());
    byte[] json = ContainedFiles.of(FileSystem.getLocal(new Configuration()), snapshot, "HF cache snapshot")
        .read(TOKENIZER_FILE, MAX_TOKENIZER_BYTES);
    String where = switch (file.origin()) {
      case DOWNLOADED -> "downloaded from " + hub.settings().endpoint() + " into the HF cache";
      case CACHED -> "from the HF cache, current on " + hub.settings().endpoint();
      case CACHED_UNVERIFIED -> "from the HF cache without asking the hub (offline or unreachable)";
    };
    return new ResolvedTokenizer(repoId, json, sha256(json),
        "hub tokenizer " + repoId + " at commit " + file.commit() + ", " + where + ": " + file.path());
  }

  private static HubFile fetchTokenizerJson(String repoId, HubClient hub) throws IOException {
    try {
      return hub.fetch(repoId, TOKENIZER_FILE, HubClient.DEFAULT_REVISION);
    } catch (HubException e) {
      if (e.kind() == HubException.Kind.ENTRY_NOT_FOUND) {
        throw new FileNotFoundException(repoId + " has no " + TOKENIZER_FILE + " on the hub (only fast tokenizers"
            + " are supported: save one with AutoTokenizer.from_pretrained(id).save_pretrained(dir) and pass dir)");
      }
      throw e;
    }
  }

  /** The built-in tokenizer for {@code repoId} when the hub could not be reached; otherwise {@code failure}. */
  private static BuiltInTokenizer standInWhenUnreachable(String repoId, HubException failure) throws HubException {
    Optional<BuiltInTokenizer> standIn = BuiltInTokenizer.standingInFor(repoId);
    if (failure.kind() == HubException.Kind.UNREACHABLE && standIn.isPresent()) {
      return standIn.get();
    }
    throw failure;
  }

  private static String fallbackReason(HubException failure, BuiltInTokenizer standIn) {
    return "hub unreachable (" + failure.getMessage() + "); using " + standIn.description();
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
