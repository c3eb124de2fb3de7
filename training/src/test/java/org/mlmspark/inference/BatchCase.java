package org.mlmspark.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** The batch tests' input texts and the check of a batch output against single-text results. */
final class BatchCase {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Lengths from 3 to ~40 tokens, so batches of 3 pad; one text with two masks. */
  static final List<String> TEXTS = List.of(
      "The Milky Way is a <mask> galaxy.",
      "Water boils at one hundred degrees <mask> at sea level, and the boiling point drops as you climb higher"
          + " because the air pressure is lower up there.",
      "A <mask> and a <mask>.",
      "<mask>",
      "Plants turn sunlight into <mask> through photosynthesis.",
      "The heart pumps blood through the <mask> of the body, about five litres every minute at rest.",
      "Light from the Sun takes about eight <mask> to reach the Earth.");
  static final String NO_MASK = "There is nothing to fill in here.";

  private BatchCase() {}

  /** The fixture texts as JSON lines with an id, plus a row without a mask and one without text, over 2 files. */
  static Path jsonInput(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < TEXTS.size(); i++) {
      lines.add(JSON.createObjectNode().put("id", i).put("text", TEXTS.get(i)).toString());
    }
    lines.add(JSON.createObjectNode().put("id", 100).put("text", NO_MASK).toString());
    lines.add(JSON.createObjectNode().put("id", 101).toString());
    Files.write(dir.resolve("a.jsonl"), lines.subList(0, 5));
    Files.write(dir.resolve("b.jsonl"), lines.subList(5, lines.size()));
    return dir;
  }

  /** Result rows of a finished output, read as JSON whatever the format. */
  static List<JsonNode> results(SparkSession spark, String output, String format) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String json : spark.read().format(format).load(output + "/" + FillMaskJob.RESULTS).toJSON().collectAsList()) {
      rows.add(JSON.readTree(json));
    }
    return rows;
  }

  /** Every row with a text and a mask has the single-text results; the others their error. */
  static void assertPipelineResults(FillMask reference, List<JsonNode> rows, int expectedRows) {
    assertEquals(expectedRows, rows.size());
    for (JsonNode row : rows) {
      JsonNode text = row.get("text");
      if (text == null) {
        assertEquals(FillMask.NULL_TEXT, row.get("error").asText(), row.toString());
        assertNull(row.get("predictions"));
      } else if (text.asText().equals(NO_MASK)) {
        assertEquals("No mask_token (<mask>) found on the input", row.get("error").asText(), row.toString());
        assertNull(row.get("predictions"));
      } else {
        assertNull(row.get("error"), row.toString());
        List<List<FillMask.Prediction>> expected = reference.predict(text.asText(), 3);
        SameResults.assertSame(expected, SameResults.parse(row.get("predictions")), text.asText());
      }
    }
  }
}
