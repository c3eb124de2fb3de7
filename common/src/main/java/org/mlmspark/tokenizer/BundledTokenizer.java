package org.mlmspark.tokenizer;

import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.support.Hashing;

/**
 * Hub tokenizers shipped inside the jar, so that offline runs tokenize exactly as the hub's files do. The files are
 * the hub's own ({@code src/main/resources/org/mlmspark/tokenizer/NAME/README.md} says where they came from); a
 * copy is used only for the hub ids whose tokenizer it is, never under another model's name.
 */
public enum BundledTokenizer {
  /** distilroberta-base's byte-level BPE tokenizer; roberta-base publishes the same vocabulary and merges. */
  DISTILROBERTA_BASE("distilroberta-base",
      List.of("distilroberta-base", "distilbert/distilroberta-base", "roberta-base", "FacebookAI/roberta-base"));

  private static final String TOKENIZER_GZ = TokenizerFiles.TOKENIZER + ".gz";

  private final String name;
  private final List<String> hubIds;
  private volatile byte[] json;

  BundledTokenizer(String name, List<String> hubIds) {
    this.name = name;
    this.hubIds = hubIds;
  }

  /** The bundled copy of the hub tokenizer {@code repoId}, if the project ships one. */
  public static Optional<BundledTokenizer> forHubId(String repoId) {
    for (BundledTokenizer tokenizer : values()) {
      if (tokenizer.hubIds.stream().anyMatch(id -> id.equalsIgnoreCase(repoId))) {
        return Optional.of(tokenizer);
      }
    }
    return Optional.empty();
  }

  /** The hub repository the files were taken from. */
  public String hubId() {
    return name;
  }

  /** The tokenizer.json bytes, as the hub serves them. */
  public byte[] json() {
    byte[] result = json;
    if (result == null) {
      try (InputStream in = new GZIPInputStream(resource(TOKENIZER_GZ))) {
        result = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("the jar's bundled " + name + " tokenizer is unreadable", e);
      }
      json = result;
    }
    return result;
  }

  /**
   * A directory holding {@code tokenizer.json} and {@code tokenizer_config.json}, as {@code save_pretrained} leaves
   * them, for code that reads tokenizer files by path (DJL's tokenizer, model directories). It lives under
   * {@code $DJL_CACHE_DIR/mlm-spark/tokenizers/}, keyed by the content, and is written once.
   */
  public Path directory() throws IOException {
    byte[] tokenizer = json();
    String key = Hashing.sha256Hex(tokenizer).substring(0, 16);
    Path dir = Utils.getCacheDir().resolve("mlm-spark").resolve("tokenizers").resolve(name + "-" + key);
    Path tokenizerFile = dir.resolve(TokenizerFiles.TOKENIZER);
    if (!Files.isRegularFile(tokenizerFile)) {
      AtomicOutput.writeFile(tokenizerFile, out -> out.write(tokenizer));
    }
    Path config = dir.resolve(TokenizerFiles.CONFIG);
    if (!Files.isRegularFile(config)) {
      try (InputStream in = resource(TokenizerFiles.CONFIG)) {
        AtomicOutput.writeFile(config, in::transferTo);
      }
    }
    return dir;
  }

  private InputStream resource(String file) throws IOException {
    InputStream in = BundledTokenizer.class.getResourceAsStream(name.toLowerCase(Locale.ROOT) + "/" + file);
    if (in == null) {
      throw new IOException("the jar lacks the bundled " + name + " tokenizer's " + file);
    }
    return in;
  }
}
