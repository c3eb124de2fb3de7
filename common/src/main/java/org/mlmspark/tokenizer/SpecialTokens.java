package org.mlmspark.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.mlmspark.support.Json;

/**
 * A tokenizer's special tokens as transformers sees them, read from {@code tokenizer_config.json} (which tokens
 * play which role) and {@code tokenizer.json} (their ids, and the vocabulary size).
 *
 * <p>The masking collator must never choose a special token. transformers decides that by membership in
 * {@code all_special_ids}: the ids of the named roles (bos, eos, unk, sep, pad, cls, mask) plus the extra special
 * tokens. Reassigning a role changes the set: after the guide's {@code tokenizer.pad_token = tokenizer.eos_token}
 * RoBERTa's {@code <pad>} (id 1) is no longer special, so it can be masked like any word.
 */
public final class SpecialTokens implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The named roles, in transformers' SPECIAL_TOKENS_ATTRIBUTES order. */
  private static final List<String> ROLES =
      List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

  private final Map<String, String> tokenByRole;
  private final List<String> extraTokens;
  private final Map<String, Integer> idByToken;
  private final int vocabSize;

  private SpecialTokens(
      Map<String, String> tokenByRole, List<String> extraTokens, Map<String, Integer> idByToken, int vocabSize) {
    this.tokenByRole = tokenByRole;
    this.extraTokens = extraTokens;
    this.idByToken = idByToken;
    this.vocabSize = vocabSize;
    for (String token : allTokens()) {
      if (!idByToken.containsKey(token)) {
        throw new IllegalArgumentException("special token " + token + " is not in the tokenizer's vocabulary");
      }
    }
  }

  /** Reads {@code tokenizer_config.json} and {@code tokenizer.json} from an HF tokenizer or model directory. */
  public static SpecialTokens load(Path dir) throws IOException {
    Path config = dir.resolve(TokenizerFiles.CONFIG);
    Path tokenizer = dir.resolve(TokenizerFiles.TOKENIZER);
    for (Path file : List.of(config, tokenizer)) {
      if (!Files.isRegularFile(file)) {
        throw new IOException("no " + file.getFileName() + " in " + dir);
      }
    }
    return parse(Files.readAllBytes(config), Files.readAllBytes(tokenizer));
  }

  /** Parses the two files' contents (so callers can read them from any file system). */
  public static SpecialTokens parse(byte[] tokenizerConfigJson, byte[] tokenizerJson) throws IOException {
    JsonNode config = Json.mapper().readTree(tokenizerConfigJson);
    Map<String, String> tokenByRole = new LinkedHashMap<>();
    for (String role : ROLES) {
      JsonNode value = config.get(role);
      if (value != null && !value.isNull()) {
        tokenByRole.put(role, tokenText(value));
      }
    }
    List<String> extras = new ArrayList<>();
    for (String key : List.of("additional_special_tokens", "extra_special_tokens")) {
      JsonNode value = config.get(key);
      // A list of tokens, or (transformers 5 model-specific tokens) a map of name -> token.
      if (value != null) {
        value.elements().forEachRemaining(token -> extras.add(tokenText(token)));
      }
    }

    JsonNode tokenizer = Json.mapper().readTree(tokenizerJson);
    Map<String, Integer> idByToken = new HashMap<>();
    JsonNode vocab = tokenizer.path("model").path("vocab");
    if (vocab.isObject()) { // BPE, WordPiece, WordLevel: token -> id
      vocab.properties().forEach(e -> idByToken.put(e.getKey(), e.getValue().asInt()));
    } else if (vocab.isArray()) { // Unigram: [token, score] at position id
      for (int id = 0; id < vocab.size(); id++) {
        idByToken.put(vocab.get(id).get(0).asText(), id);
      }
    } else {
      throw new IOException("tokenizer.json has no model.vocab");
    }
    for (JsonNode added : tokenizer.path("added_tokens")) {
      idByToken.put(added.get("content").asText(), added.get("id").asInt());
    }
    // len(tokenizer) in transformers: the vocabulary with added tokens, i.e. the number of distinct ids.
    int vocabSize = new TreeSet<>(idByToken.values()).size();
    return new SpecialTokens(tokenByRole, extras, idByToken, vocabSize);
  }

  /** The guide's {@code tokenizer.pad_token = tokenizer.eos_token}: pads with eos, and the old pad is a word. */
  public SpecialTokens withPadAsEos() {
    Map<String, String> roles = new LinkedHashMap<>(tokenByRole);
    roles.put("pad_token", token("eos_token"));
    return new SpecialTokens(roles, extraTokens, idByToken, vocabSize);
  }

  /** transformers' {@code all_special_ids}, sorted: the tokens the masking never chooses. */
  public int[] ids() {
    return allTokens().stream().mapToInt(idByToken::get).distinct().sorted().toArray();
  }

  /** The id of the token playing {@code role} ({@code bos_token}, {@code pad_token}, ...), if the tokenizer names one. */
  public OptionalInt roleId(String role) {
    String token = tokenByRole.get(role);
    return token == null ? OptionalInt.empty() : OptionalInt.of(idByToken.get(token));
  }

  public int maskId() {
    return idByToken.get(token("mask_token"));
  }

  public int padId() {
    return idByToken.get(token("pad_token"));
  }

  /** {@code len(tokenizer)}: random replacement ids are drawn from [0, vocabSize). */
  public int vocabSize() {
    return vocabSize;
  }

  private List<String> allTokens() {
    List<String> all = new ArrayList<>(tokenByRole.values());
    all.addAll(extraTokens);
    return all;
  }

  private String token(String role) {
    String token = tokenByRole.get(role);
    if (token == null) {
      throw new IllegalStateException("the tokenizer config names no " + role);
    }
    return token;
  }

  /** A token is written as a string or, by older transformers, as an AddedToken object with "content". */
  private static String tokenText(JsonNode value) {
    return value.isObject() ? value.get("content").asText() : value.asText();
  }
}
