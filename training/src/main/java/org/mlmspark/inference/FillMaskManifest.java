package org.mlmspark.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.mlmspark.storage.InputFiles.InputFile;

/**
 * {@code OUTPUT/manifest.json} of a batch fill-mask run: written last, it marks the output complete (see
 * {@link org.mlmspark.storage.AtomicOutput}).
 */
public record FillMaskManifest(
    int formatVersion,
    String version,
    String createdAt,
    Model model,
    Input input,
    Settings settings,
    Rows rows) {

  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * @param spec as given to {@code --model}
   * @param location what the executors loaded: the resolved directory, or the hub id
   */
  public record Model(String spec, String location) {}

  /** @param fingerprint SHA-256 over the files' paths, sizes and modification times */
  public record Input(String fingerprint, long bytes, List<InputFile> files) {}

  public record Settings(int topK, String textColumn, int batchSize, String format) {}

  /**
   * {@code read = predicted + errors}.
   *
   * @param errorsByMessage the {@code error} column's values and their rows
   */
  public record Rows(long read, long predicted, long errors, Map<String, Long> errorsByMessage) {}

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static FillMaskManifest read(InputStream in) throws IOException {
    return JSON.readValue(in, FillMaskManifest.class);
  }
}
