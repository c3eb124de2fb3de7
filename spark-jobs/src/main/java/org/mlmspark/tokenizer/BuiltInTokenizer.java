package org.mlmspark.tokenizer;

import ai.djl.util.Utils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlmspark.hub.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Byte-level BPE tokenizers the project builds from Maven Central alone (GPT-2's ranks in the jtokkit jar),
 * as HF {@code tokenizer.json} documents, for when the hub cannot be reached.
 *
 * <p>Both share GPT-2's vocabulary and merges: token ids 0..50255 are GPT-2's ids, and the merges are
 * recovered from the ranks ({@link BpeMergeRecovery}), identical to GPT-2's and RoBERTa's merges.txt.
 */
public enum BuiltInTokenizer {
  /**
   * Stand-in for RoBERTa-family tokenizers (distilroberta-base, roberta-base/large): RoBERTa's exact
   * segmentation, pre-tokenizer, {@code <s> … </s>} post-processor and {@code <mask>} behaviour, but GPT-2's
   * ids for ordinary tokens. RoBERTa's own ids are a permutation only its vocab.json knows. The special
   * tokens follow the vocabulary in RoBERTa's order: {@code <s>}=50256 (GPT-2's {@code <|endoftext|>} slot),
   * {@code <pad>}=50257, {@code </s>}=50258, {@code <unk>}=50259, {@code <mask>}=50260; 50,261 ids in all.
   * {@code <|endoftext|>} is not special here, as in RoBERTa.
   */
  ROBERTA_SEGMENTATION_GPT2_IDS(
      "builtin/gpt2-bpe-roberta",
      "GPT-2 BPE from jtokkit: RoBERTa segmentation, GPT-2 ids (<s>=50256 <pad>=50257 </s>=50258 <unk>=50259"
          + " <mask>=50260)",
      List.of("distilroberta-base", "distilbert/distilroberta-base", "roberta-base", "FacebookAI/roberta-base",
          "roberta-large", "FacebookAI/roberta-large"),
      specials("<s>", "<pad>", "</s>", "<unk>", "<mask>")),

  /** GPT-2's own tokenizer: the same ids as the hub's gpt2 tokenizer.json, {@code <|endoftext|>}=50256. */
  GPT2(
      "builtin/gpt2-bpe",
      "GPT-2 BPE from jtokkit: GPT-2's tokenizer and ids (<|endoftext|>=50256)",
      List.of("gpt2", "openai-community/gpt2", "distilgpt2", "distilbert/distilgpt2"),
      specials("<|endoftext|>"));

  /** Bumped whenever the generated JSON changes, so stale cached copies are not reused. */
  private static final int FORMAT_VERSION = 1;
  private static final int GPT2_RANKS = 50256;
  private static final Logger LOG = LoggerFactory.getLogger(BuiltInTokenizer.class);

  private final String id;
  private final String description;
  private final List<String> standsInFor;
  private final Map<String, Integer> specialTokens;
  private volatile byte[] json;

  BuiltInTokenizer(String id, String description, List<String> standsInFor, Map<String, Integer> specialTokens) {
    this.id = id;
    this.description = description;
    this.standsInFor = standsInFor;
    this.specialTokens = specialTokens;
  }

  /** The built-in tokenizer that can replace the hub tokenizer {@code hubId}, if any. */
  public static Optional<BuiltInTokenizer> standingInFor(String hubId) {
    for (BuiltInTokenizer tokenizer : values()) {
      for (String known : tokenizer.standsInFor) {
        if (known.equalsIgnoreCase(hubId)) {
          return Optional.of(tokenizer);
        }
      }
    }
    return Optional.empty();
  }

  /** What manifests call this tokenizer; never a hub id, because the ids differ from the hub's. */
  public String id() {
    return id;
  }

  /** One line for logs: what this tokenizer is and how its ids relate to the hub's. */
  public String description() {
    return description;
  }

  /** Special token → id, in id order. */
  public Map<String, Integer> specialTokens() {
    return specialTokens;
  }

  public int vocabularySize() {
    return GPT2_RANKS + specialTokens.size();
  }

  /** The tokenizer.json bytes; built once per JVM, and read from the on-disk cache when already there. */
  public byte[] json() {
    byte[] result = json;
    if (result == null) {
      synchronized (this) {
        if (json == null) {
          json = loadOrBuild();
        }
        result = json;
      }
    }
    return result;
  }

  /**
   * Where the generated tokenizer.json is cached: {@code $DJL_CACHE_DIR} (default {@code ~/.djl.ai}) under
   * {@code mlm-spark/tokenizers/}, keyed by the jtokkit ranks and the format version. Never committed.
   */
  public Path cachedFile() {
    String key = TokenizerResolver.sha256(TiktokenRanks.r50kBaseFile()).substring(0, 16) + "-v" + FORMAT_VERSION;
    String name = id.substring(id.indexOf('/') + 1);
    return Utils.getCacheDir().resolve("mlm-spark").resolve("tokenizers").resolve(name + "-" + key)
        .resolve("tokenizer.json");
  }

  private byte[] loadOrBuild() {
    Path cached = cachedFile();
    try {
      if (Files.isRegularFile(cached)) {
        return Files.readAllBytes(cached);
      }
    } catch (IOException e) {
      LOG.debug("cannot read cached {}: {}", cached, e.toString());
    }
    byte[] built = build();
    try {
      AtomicFiles.write(cached, built);
    } catch (IOException e) {
      // A read-only cache only costs rebuilding (well under a second) in the next JVM.
      LOG.debug("cannot cache {} at {}: {}", id, cached, e.toString());
    }
    return built;
  }

  byte[] build() {
    Map<String, Integer> ranks = TiktokenRanks.parse(TiktokenRanks.r50kBaseFile());
    if (ranks.size() != GPT2_RANKS) {
      throw new IllegalStateException("expected " + GPT2_RANKS + " GPT-2 ranks, found " + ranks.size());
    }
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    specialTokens.forEach((content, tokenId) -> {
      // RoBERTa's <mask> swallows the space before it, so "a <mask> galaxy" predicts " spiral"-style tokens.
      boolean mask = content.equals("<mask>");
      added.addObject().put("id", tokenId).put("content", content).put("single_word", false)
          .put("lstrip", mask).put("rstrip", false).put("normalized", !mask).put("special", true);
    });
    root.putNull("normalizer");
    byteLevel(root.putObject("pre_tokenizer"), false, true);
    ObjectNode post = root.putObject("post_processor");
    if (this == ROBERTA_SEGMENTATION_GPT2_IDS) {
      post.put("type", "RobertaProcessing");
      post.putArray("sep").add("</s>").add(specialTokens.get("</s>"));
      post.putArray("cls").add("<s>").add(specialTokens.get("<s>"));
      post.put("trim_offsets", true).put("add_prefix_space", false);
    } else {
      byteLevel(post, true, false);
    }
    byteLevel(root.putObject("decoder"), true, true);

    ObjectNode model = root.putObject("model");
    model.put("type", "BPE").putNull("dropout");
    model.putNull("unk_token");
    model.put("continuing_subword_prefix", "").put("end_of_word_suffix", "").put("fuse_unk", false)
        .put("byte_fallback", false).put("ignore_merges", false);
    ObjectNode vocab = model.putObject("vocab");
    ranks.forEach(vocab::put);
    specialTokens.forEach(vocab::put);
    ArrayNode merges = model.putArray("merges");
    for (String[] merge : BpeMergeRecovery.merges(ranks)) {
      merges.addArray().add(merge[0]).add(merge[1]);
    }
    try {
      return mapper.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void byteLevel(ObjectNode node, boolean addPrefixSpace, boolean trimOffsets) {
    node.put("type", "ByteLevel").put("add_prefix_space", addPrefixSpace).put("trim_offsets", trimOffsets)
        .put("use_regex", true);
  }

  private static Map<String, Integer> specials(String... tokens) {
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (String token : tokens) {
      ids.put(token, GPT2_RANKS + ids.size());
    }
    return Collections.unmodifiableMap(ids);
  }
}
