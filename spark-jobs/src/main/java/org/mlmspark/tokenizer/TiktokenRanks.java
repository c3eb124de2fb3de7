package org.mlmspark.tokenizer;

import com.knuddels.jtokkit.Encodings;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BPE ranks in tiktoken's file format (one {@code base64(token bytes) rank} pair per line), with each token
 * turned into its {@link ByteLevelAlphabet} string as HF vocabularies spell it.
 */
final class TiktokenRanks {
  /** GPT-2's ranks (= GPT-2's token ids 0..50255), shipped inside the jtokkit jar on Maven Central. */
  static final String R50K_BASE_RESOURCE = "/com/knuddels/jtokkit/r50k_base.tiktoken";

  private TiktokenRanks() {}

  static byte[] r50kBaseFile() {
    try (InputStream in = Encodings.class.getResourceAsStream(R50K_BASE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(R50K_BASE_RESOURCE + " is missing from the jtokkit jar on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Byte-level token string → rank, in rank order; ranks must be exactly 0..n-1 (they become token ids). */
  static Map<String, Integer> parse(byte[] tiktokenFile) {
    Map<String, Integer> ranks = new LinkedHashMap<>();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(new ByteArrayInputStream(tiktokenFile), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        int space = line.indexOf(' ');
        String token = ByteLevelAlphabet.encode(Base64.getDecoder().decode(line.substring(0, space)));
        int rank = Integer.parseInt(line.substring(space + 1).trim());
        if (rank != ranks.size() || ranks.putIfAbsent(token, rank) != null) {
          throw new IllegalArgumentException("tiktoken ranks are not a dense 0..n-1 sequence at line: " + line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ranks;
  }
}
