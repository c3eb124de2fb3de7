package org.mlmspark.tokenizer;

import java.io.FileNotFoundException;
import java.io.IOException;
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
 * Turns a {@code --tokenizer ID|DIR|FILE} value into a tokenizer: an existing file or directory on any Hadoop file
 * system wins (as {@code from_pretrained} prefers a local folder); otherwise a hub id's files come from the hub or
 * the HF cache; and when neither has them, the project's {@link BundledTokenizer} copy of that same hub tokenizer.
 */
public final class TokenizerResolver {
  /** What a hub tokenizer directory needs besides tokenizer.json: the roles of its special tokens. */
  /** Far above any published tokenizer.json (the largest are tens of MB); a read never goes beyond. */
  public static final long MAX_TOKENIZER_BYTES = 256L << 20;
  private static final List<String> HUB_COMPANION_FILES = List.of(TokenizerFiles.CONFIG, "special_tokens_map.json");

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
    String name = directory ? TokenizerFiles.TOKENIZER : qualified.getName();
    byte[] json = files.read(name, MAX_TOKENIZER_BYTES);
    Path file = new Path(files.root(), name);
    return new ResolvedTokenizer(spec, json, fingerprint(json, file.toString()), "read from " + file);
  }

  /**
   * Like {@link #resolve}, but as a directory of tokenizer files ({@code tokenizer.json} and, where there is one,
   * {@code tokenizer_config.json} naming the special tokens' roles), which is what a model directory carries: an
   * existing directory as it is, a hub id's files from the hub or the HF cache, or the bundled copy.
   */
  public static TokenizerDirectory resolveDirectory(String spec, Configuration hadoopConf, HubClient hub)
      throws IOException {
    Path path = new Path(spec);
    FileSystem fs = path.getFileSystem(hadoopConf);
    if (fs.exists(path)) {
      if (!fs.getFileStatus(path).isDirectory()) {
        throw new FileNotFoundException(spec + " is a file; give the directory holding " + TokenizerFiles.TOKENIZER
            + " and " + TokenizerFiles.CONFIG);
      }
      return new TokenizerDirectory(spec, fs.makeQualified(path), "read from " + spec);
    }
    if (path.toUri().getScheme() == null && HubClient.isRepoId(spec)) {
      HubFile file;
      try {
        file = fetchTokenizerJson(spec, hub);
      } catch (HubException e) {
        BundledTokenizer bundled = bundledWhenUnavailable(spec, e);
        return new TokenizerDirectory(spec, new Path(bundled.directory().toUri()), bundledSource(e));
      }
      for (String optional : HUB_COMPANION_FILES) {
        hub.optionalFile(spec, optional);
      }
      return new TokenizerDirectory(spec, new Path(file.path().getParent().toUri()), hubSource(file));
    }
    throw new FileNotFoundException("tokenizer not found: " + spec
        + " (expected a directory holding tokenizer.json, or a hub id such as distilroberta-base)");
  }

  private static ResolvedTokenizer fromHub(String repoId, HubClient hub) throws IOException {
    HubFile file;
    try {
      file = fetchTokenizerJson(repoId, hub);
    } catch (HubException e) {
      byte[] json = bundledWhenUnavailable(repoId, e).json();
      return new ResolvedTokenizer(repoId, json, fingerprint(json, "the bundled " + repoId), bundledSource(e));
    }
    Path snapshot = new Path(file.path().getParent().toUri());
    byte[] json = ContainedFiles.of(FileSystem.getLocal(new Configuration()), snapshot, "HF cache snapshot")
        .read(TokenizerFiles.TOKENIZER, MAX_TOKENIZER_BYTES);
    return new ResolvedTokenizer(repoId, json, fingerprint(json, file.path().toString()), hubSource(file));
  }

  private static String hubSource(HubFile file) {
    String commit = file.commit().substring(0, Math.min(12, file.commit().length()));
    return switch (file.origin()) {
      case DOWNLOADED -> "hub commit " + commit + ", downloaded";
      case CACHED -> "hub commit " + commit + ", HF cache";
      case CACHED_UNVERIFIED -> "HF cache, commit " + commit + ", hub not asked";
    };
  }

  private static String bundledSource(HubException failure) {
    return "bundled copy, hub " + (failure.kind() == HubException.Kind.UNREACHABLE ? "unreachable" : "refused");
  }

  private static HubFile fetchTokenizerJson(String repoId, HubClient hub) throws IOException {
    try {
      return hub.fetch(repoId, TokenizerFiles.TOKENIZER, HubClient.DEFAULT_REVISION);
    } catch (HubException e) {
      if (e.kind() == HubException.Kind.ENTRY_NOT_FOUND) {
        throw new FileNotFoundException(repoId + " has no " + TokenizerFiles.TOKENIZER + " on the hub (only fast"
            + " tokenizers are supported: save one with AutoTokenizer.from_pretrained(id).save_pretrained(dir) and"
            + " pass dir)");
      }
      throw e;
    }
  }

  /** The bundled copy of {@code repoId} when the hub and the cache could not supply it; otherwise {@code failure}. */
  private static BundledTokenizer bundledWhenUnavailable(String repoId, HubException failure) throws HubException {
    Optional<BundledTokenizer> bundled = BundledTokenizer.forHubId(repoId);
    if (failure.kind() == HubException.Kind.UNREACHABLE && bundled.isPresent()) {
      return bundled.get();
    }
    throw failure;
  }

  /** {@link TokenizerFingerprint#of}, with a failure that names the file. */
  public static String fingerprint(byte[] json, String where) throws IOException {
    try {
      return TokenizerFingerprint.of(json);
    } catch (IOException e) {
      throw new IOException(where + " is not a readable tokenizer.json (" + e.getMessage().lines().findFirst()
          .orElse("") + ")");
    }
  }
}
