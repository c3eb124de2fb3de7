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
import java.util.TreeMap;
import org.mlmspark.hub.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Byte-level BPE tokenizers the project builds from Maven Central alone (GPT-2's ranks in the jtokkit jar),
 * as HF {@code tokenizer.json} documents (with a {@code tokenizer_config.json}), for when the hub cannot be reached.
 *
 * <p>Both share GPT-2's vocabulary and merges: the merges are recovered from the ranks ({@link BpeMergeRecovery}),
 * identical to GPT-2's and RoBERTa's merges.txt, so both segment text as those tokenizers do.
 */
public enum BuiltInTokenizer {
  /**
   * Stand-in for RoBERTa-family tokenizers (distilroberta-base, roberta-base/large): RoBERTa's exact
   * segmentation, pre-tokenizer, {@code <s> … </s>} post-processor and {@code <mask>} behaviour, and RoBERTa's id
   * layout: {@code <s>}=0, {@code <pad>}=1, {@code </s>}=2, {@code <unk>}=3, GPT-2's 50,256 tokens at their rank
   * + 4, {@code <mask>}=50260; 50,261 ids in all. The layout matters because a RoBERTa model numbers positions
   * from {@code pad_token_id + 1}: with pad = 1 any RoBERTa config fits. Ordinary tokens still differ from the
   * hub's ids (RoBERTa's own are a permutation only its vocab.json knows), so the real distilroberta-base weights
   * do not fit these ids; a model trained from scratch does. {@code <|endoftext|>} is not special, as in RoBERTa.
   */
  ROBERTA_LAYOUT(
      "builtin/roberta-gpt2-bpe",
      "GPT-2 BPE from jtokkit in RoBERTa's layout: RoBERTa segmentation, <s>=0 <pad>=1 </s>=2 <unk>=3,"
          + " GPT-2 tokens at rank+4, <mask>=50260 (not distilroberta-base's ids: for models trained from scratch)",
      List.of("distilroberta-base", "distilbert/distilroberta-base", "roberta-base", "FacebookAI/roberta-base",
          "roberta-large", "FacebookAI/roberta-large"),
      4,
      ids("<s>", 0, "<pad>", 1, "</s>", 2, "<unk>", 3, "<mask>", 50260),
      roles("bos_token", "<s>", "eos_token", "</s>", "sep_token", "</s>", "cls_token", "<s>", "unk_token", "<unk>",
          "pad_token", "<pad>", "mask_token", "<mask>"),
      "RobertaTokenizer", 512),

  /** GPT-2's own tokenizer: the same ids as the hub's gpt2 tokenizer.json, {@code <|endoftext|>}=50256. */
  GPT2(
      "builtin/gpt2-bpe",
      "GPT-2 BPE from jtokkit: GPT-2's tokenizer and ids (<|endoftext|>=50256)",
      List.of("gpt2", "openai-community/gpt2", "distilgpt2", "distilbert/distilgpt2"),
      0,
      ids("<|endoftext|>", 50256),
      roles("bos_token", "<|endoftext|>", "eos_token", "<|endoftext|>", "unk_token", "<|endoftext|>"),
      "GPT2Tokenizer", 1024);

  /** Bumped whenever the generated files change, so stale cached copies are not reused. */
  private static final int FORMAT_VERSION = 2;
  private static final int GPT2_RANKS = 50256;
  private static final String TOKENIZER_FILE = "tokenizer.json";
  private static final String CONFIG_FILE = "tokenizer_config.json";
  private static final Logger LOG = LoggerFactory.getLogger(BuiltInTokenizer.class);

  private final String id;
  private final String description;
  private final List<String> standsInFor;
  private final int rankOffset;
  private final Map<String, Integer> specialTokens;
  private final Map<String, String> tokenByRole;
  private final String tokenizerClass;
  private final int modelMaxLength;
  private volatile byte[] json;

  BuiltInTokenizer(String id, String description, List<String> standsInFor, int rankOffset,
      Map<String, Integer> specialTokens, Map<String, String> tokenByRole, String tokenizerClass,
      int modelMaxLength) {
    this.id = id;
    this.description = description;
    this.standsInFor = standsInFor;
    this.rankOffset = rankOffset;
    this.specialTokens = specialTokens;
    this.tokenByRole = tokenByRole;
    this.tokenizerClass = tokenizerClass;
    this.modelMaxLength = modelMaxLength;
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

  /** Special token → id, in the order the roles are listed (RoBERTa's: {@code <s> <pad> </s> <unk> <mask>}). */
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
   * The tokenizer as {@code save_pretrained} leaves it: a directory with {@code tokenizer.json} and the
   * {@code tokenizer_config.json} that names the special tokens' roles (which the masking and fill-mask read).
   * It is the cache folder of {@link #cachedFile()}; both files are written there if missing.
   */
  public Path directory() throws IOException {
    Path tokenizerFile = cachedFile();
    byte[] tokenizerJson = json();
    if (!Files.isRegularFile(tokenizerFile)) {
      AtomicFiles.write(tokenizerFile, tokenizerJson);
    }
    Path config = tokenizerFile.resolveSibling(CONFIG_FILE);
    if (!Files.isRegularFile(config)) {
      AtomicFiles.write(config, tokenizerConfig());
    }
    return tokenizerFile.getParent();
  }

  /** {@code tokenizer_config.json} as transformers writes it for this tokenizer class. */
  byte[] tokenizerConfig() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode config = mapper.createObjectNode();
    config.put("tokenizer_class", tokenizerClass).put("model_max_length", modelMaxLength);
    tokenByRole.forEach(config::put);
    config.put("add_prefix_space", false).put("clean_up_tokenization_spaces", false);
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Where the generated tokenizer.json is cached: {@code $DJL_CACHE_DIR} (default {@code ~/.djl.ai}) under
   * {@code mlm-spark/tokenizers/}, keyed by the jtokkit ranks and the format version. Never committed.
   */
  public Path cachedFile() {
    String key = TokenizerResolver.sha256(TiktokenRanks.r50kBaseFile()).substring(0, 16) + "-v" + FORMAT_VERSION;
    String name = id.substring(id.indexOf('/') + 1);
    return Utils.getCacheDir().resolve("mlm-spark").resolve("tokenizers").resolve(name + "-" + key)
        .resolve(TOKENIZER_FILE);
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
    if (this == ROBERTA_LAYOUT) {
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
    // HF lists the vocabulary in id order (RoBERTa's specials 0-3 first); the order does not change the ids.
    Map<Integer, String> byId = new TreeMap<>();
    ranks.forEach((token, rank) -> byId.put(rank + rankOffset, token));
    specialTokens.forEach((token, tokenId) -> byId.put(tokenId, token));
    byId.forEach((tokenId, token) -> vocab.put(token, tokenId));
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

  /** {@code token, id, token, id, ...} in order. */
  private static Map<String, Integer> ids(Object... tokenIdPairs) {
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (int i = 0; i < tokenIdPairs.length; i += 2) {
      ids.put((String) tokenIdPairs[i], (Integer) tokenIdPairs[i + 1]);
    }
    return Collections.unmodifiableMap(ids);
  }

  /** {@code role, token, role, token, ...} in transformers' order of the roles. */
  private static Map<String, String> roles(String... roleTokenPairs) {
    Map<String, String> roles = new LinkedHashMap<>();
    for (int i = 0; i < roleTokenPairs.length; i += 2) {
      roles.put(roleTokenPairs[i], roleTokenPairs[i + 1]);
    }
    return Collections.unmodifiableMap(roles);
  }
}
