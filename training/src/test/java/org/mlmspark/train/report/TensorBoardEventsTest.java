package org.mlmspark.train.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlmspark.testing.TestData;

/**
 * The event records against testdata/tensorboard (tools/tensorboard_fixture.py): a file built by TensorBoard's
 * and PyTorch's own writer code, and what TensorBoard's EventAccumulator read from it.
 */
class TensorBoardEventsTest {
  private static final Path FIXTURE = TestData.require("tensorboard");
  private static final Path EVENTS = FIXTURE.resolve("events.out.tfevents.1700000000.fixture.1.0");
  private static final double WALL = 1700000000.25;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The events of tools/tensorboard_fixture.py, in its order. */
  private static byte[] fixtureEvents() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(TensorBoardEvents.fileVersion(WALL));
    String args = "{\n  \"learning_rate\": 0.001,\n  \"batch_size\": 8,\n  \"note\": \"caf\u00e9 \u2713\"\n}";
    out.write(TensorBoardEvents.text(WALL, 0, "args", args));
    out.write(TensorBoardEvents.text(WALL, 0, "model_config", "{\"model_type\": \"roberta\", \"hidden_size\": 32}"));
    for (int step = 1; step <= 3; step++) {
      double wall = WALL + step;
      out.write(TensorBoardEvents.scalar(wall, step, "train/loss", 10.5 - step * 0.75));
      out.write(TensorBoardEvents.scalar(wall, step, "train/learning_rate", 1e-3 * step / 3));
      out.write(TensorBoardEvents.scalar(wall, step, "train/grad_norm", 2.0 / step));
      out.write(TensorBoardEvents.scalar(wall, step, "train/epoch", step / 3.0));
      out.write(TensorBoardEvents.scalar(wall, step, "train/tokens_per_s", 1234.5 + step));
      if (step >= 2) {
        out.write(TensorBoardEvents.scalar(wall, step, "eval/loss", 9.0 - step));
        out.write(TensorBoardEvents.scalar(wall, step, "eval/perplexity", Math.pow(2.718281828, 9.0 - step)));
        out.write(TensorBoardEvents.scalar(wall, step, "eval/accuracy", 0.1 * step));
      }
    }
    out.write(TensorBoardEvents.sessionStart(WALL + 10, 3));
    out.write(TensorBoardEvents.scalar(WALL + 11, 3, "train/loss", 7.125));
    out.write(TensorBoardEvents.scalar(WALL + 12, 4, "train/loss", 7.0));
    return out.toByteArray();
  }

  @Test
  void recordsAreByteForByteThoseOfTensorBoardsOwnWriter() throws Exception {
    assertArrayEquals(Files.readAllBytes(EVENTS), fixtureEvents());
  }

  @Test
  void theReadBackIsWhatEventAccumulatorRead() throws Exception {
    JsonNode expected = JSON.readTree(FIXTURE.resolve("reader.json").toFile());
    EventFiles.Read read = EventFiles.read(List.of(EVENTS));
    assertEquals(expected.get("file_version").asDouble(), read.fileVersion());
    assertPoints(expected.get("scalars"), read.scalars(), false);
    assertPoints(expected.get("texts"), read.texts(), true);
    Map<String, String> plugins = JSON.convertValue(expected.get("plugins"), JSON.getTypeFactory()
        .constructMapType(Map.class, String.class, String.class));
    assertEquals(plugins, read.plugins());
  }

  /** Same tags, and per tag the same wall times, steps and values (floats: bit-equal) or texts. */
  static void assertPoints(JsonNode expected, Map<String, List<EventFiles.Point>> actual, boolean texts) {
    List<String> tags = JSON.convertValue(expected, Map.class).keySet().stream().map(Object::toString).toList();
    assertEquals(tags, List.copyOf(actual.keySet()));
    for (String tag : tags) {
      JsonNode points = expected.get(tag);
      List<EventFiles.Point> read = actual.get(tag);
      assertEquals(points.size(), read.size(), tag);
      for (int i = 0; i < points.size(); i++) {
        JsonNode point = points.get(i);
        assertEquals(point.get("wall_time").asDouble(), read.get(i).wallTime(), tag);
        assertEquals(point.get("step").asLong(), read.get(i).step(), tag);
        if (texts) {
          assertEquals(point.get("text").asText(), read.get(i).text(), tag);
        } else {
          assertEquals(point.get("value").asDouble(), read.get(i).value(), tag + " at " + read.get(i).step());
        }
      }
    }
  }
}
