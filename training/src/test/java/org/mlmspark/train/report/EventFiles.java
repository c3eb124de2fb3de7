package org.mlmspark.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads event files back as TensorBoard's EventAccumulator does for the records {@link TensorBoardEvents}
 * writes: the CRCs checked, files of a run directory in name order, scalars and texts per tag in the order read,
 * and a session start dropping the points at its step and later. {@code TensorBoardEventsTest} holds it to what
 * the real reader read from the fixture.
 */
public final class EventFiles {
  /** A point of a tag: a scalar (text null) or a text. */
  public record Point(double wallTime, long step, double value, String text) {}

  /** What the reader shows. */
  public record Read(double fileVersion, Map<String, List<Point>> scalars, Map<String, List<Point>> texts,
      Map<String, String> plugins) {}

  private EventFiles() {}

  /** Every event file of a run directory, in name order. */
  public static Read readRun(Path runDirectory) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(runDirectory)) {
      files = list.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
    }
    return read(files);
  }

  public static Read read(List<Path> files) throws IOException {
    double version = Double.NaN;
    Map<String, List<Point>> scalars = new TreeMap<>();
    Map<String, List<Point>> texts = new TreeMap<>();
    Map<String, String> plugins = new TreeMap<>();
    for (Path file : files) {
      for (byte[] record : records(Files.readAllBytes(file))) {
        CodedInputStream in = CodedInputStream.newInstance(record);
        double wallTime = 0;
        long step = 0;
        byte[] summary = null;
        boolean start = false;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
          switch (tag >>> 3) {
            case 1 -> wallTime = in.readDouble();
            case 2 -> step = in.readInt64();
            case 3 -> version = Double.parseDouble(in.readString().substring("brain.Event:".length()));
            case 5 -> summary = in.readByteArray();
            case 7 -> start = sessionStatus(in.readByteArray()) == 1;
            default -> in.skipField(tag);
          }
        }
        if (start) {
          long from = step;
          scalars.values().forEach(points -> points.removeIf(p -> p.step() >= from));
          texts.values().forEach(points -> points.removeIf(p -> p.step() >= from));
        }
        if (summary != null) {
          readSummary(summary, wallTime, step, scalars, texts, plugins);
        }
      }
    }
    scalars.values().removeIf(List::isEmpty);
    return new Read(version, scalars, texts, plugins);
  }

  /**
   * The records of a TFRecord file, CRCs checked. A record cut short at the end (a writer killed mid-write) ends
   * the file, as TensorBoard's reader treats it.
   */
  static List<byte[]> records(byte[] file) {
    List<byte[]> records = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    while (in.remaining() >= 12 && in.remaining() >= 16 + in.getLong(in.position())) {
      long length = in.getLong();
      assertEquals(TensorBoardEvents.maskedCrc32c(file, in.position() - 8, 8), in.getInt(), "length CRC");
      byte[] data = new byte[Math.toIntExact(length)];
      in.get(data);
      assertEquals(TensorBoardEvents.maskedCrc32c(data, 0, data.length), in.getInt(), "data CRC");
      records.add(data);
    }
    return records;
  }

  private static int sessionStatus(byte[] sessionLog) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(sessionLog);
    int status = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag >>> 3 == 1) {
        status = in.readEnum();
      } else {
        in.skipField(tag);
      }
    }
    return status;
  }

  private static void readSummary(byte[] summary, double wallTime, long step, Map<String, List<Point>> scalars,
      Map<String, List<Point>> texts, Map<String, String> plugins) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(summary);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag >>> 3 != 1) {
        in.skipField(tag);
        continue;
      }
      CodedInputStream value = CodedInputStream.newInstance(in.readByteArray());
      String name = null;
      Float simple = null;
      String text = null;
      String plugin = null;
      for (int field = value.readTag(); field != 0; field = value.readTag()) {
        switch (field >>> 3) {
          case 1 -> name = value.readString();
          case 2 -> simple = value.readFloat();
          case 8 -> text = firstString(value.readByteArray());
          case 9 -> plugin = pluginName(value.readByteArray());
          default -> value.skipField(field);
        }
      }
      if (simple != null) {
        scalars.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(wallTime, step, simple, null));
      } else if (text != null) {
        texts.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(wallTime, step, Double.NaN, text));
        plugins.put(name, plugin);
      }
    }
  }

  /** TensorProto.string_val[0]. */
  private static String firstString(byte[] tensor) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(tensor);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag >>> 3 == 8) {
        return new String(in.readByteArray(), StandardCharsets.UTF_8);
      }
      in.skipField(tag);
    }
    return null;
  }

  /** SummaryMetadata.plugin_data.plugin_name. */
  private static String pluginName(byte[] metadata) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(metadata);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag >>> 3 == 1) {
        CodedInputStream data = CodedInputStream.newInstance(in.readByteArray());
        for (int field = data.readTag(); field != 0; field = data.readTag()) {
          if (field >>> 3 == 1) {
            return data.readString();
          }
          data.skipField(field);
        }
      } else {
        in.skipField(tag);
      }
    }
    return null;
  }

  /** TensorBoard tag of each metrics.jsonl key, as HF's rewrite_logs names them. */
  public static final Map<String, String> TAGS = tags();

  private static Map<String, String> tags() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("loss", "train/loss");
    tags.put("learning_rate", "train/learning_rate");
    tags.put("grad_norm", "train/grad_norm");
    tags.put("epoch", "train/epoch");
    tags.put("tokens_per_s", "train/tokens_per_s");
    tags.put("eval_loss", "eval/loss");
    tags.put("perplexity", "eval/perplexity");
    tags.put("eval_accuracy", "eval/accuracy");
    tags.put("eval_runtime", "eval/runtime");
    return Map.copyOf(tags);
  }

  /**
   * The one run directory of a training output: its event files read back hold every tag with one point per
   * step (train/) or evaluation (eval/) of metrics.jsonl, at the same steps, with its values as float32, plus
   * the hyperparameter texts at step 0.
   *
   * @param model the model directory the run started from, whose config.json is the model_config text
   * @return the run directory
   */
  public static Path assertMatchesMetrics(Path output, Path model) throws IOException {
    List<Path> runs;
    try (Stream<Path> list = Files.list(output.resolve("runs"))) {
      runs = list.toList();
    }
    assertEquals(1, runs.size(), runs.toString());
    Path run = runs.get(0);
    assertTrue(run.getFileName().toString().matches("[A-Z][a-z]{2}\\d{2}_\\d{2}-\\d{2}-\\d{2}_.+"), run.toString());
    try (Stream<Path> list = Files.list(run)) {
      list.forEach(file -> assertTrue(file.getFileName().toString()
          .matches("events\\.out\\.tfevents\\.\\d{10}\\..+\\.\\d+\\.\\d+"), file.toString()));
    }
    Read read = readRun(run);
    assertEquals(2.0, read.fileVersion());

    ObjectMapper json = new ObjectMapper();
    Map<String, List<Point>> expected = new TreeMap<>();
    for (String line : Files.readAllLines(output.resolve("metrics.jsonl"))) {
      JsonNode entry = json.readTree(line);
      long step = entry.get("step").asLong();
      boolean eval = entry.has("eval_loss");
      entry.fieldNames().forEachRemaining(key -> {
        if (TAGS.containsKey(key) && (!eval || !key.equals("epoch"))) {
          expected.computeIfAbsent(TAGS.get(key), k -> new ArrayList<>())
              .add(new Point(0, step, (float) entry.get(key).asDouble(), null));
        }
      });
    }
    assertEquals(expected.keySet(), read.scalars().keySet());
    expected.forEach((tag, points) -> {
      List<Point> got = read.scalars().get(tag);
      assertEquals(points.stream().map(Point::step).toList(), got.stream().map(Point::step).toList(), tag);
      for (int i = 0; i < points.size(); i++) {
        assertEquals(points.get(i).value(), got.get(i).value(), tag + " at step " + points.get(i).step());
      }
    });
    assertEquals(List.of("args/text_summary", "model_config/text_summary"), List.copyOf(read.texts().keySet()));
    read.texts().values().forEach(points -> {
      assertEquals(1, points.size());
      assertEquals(0, points.get(0).step());
    });
    assertTrue(read.texts().get("args/text_summary").get(0).text().contains("\"learningRate\""));
    assertEquals(Files.readString(model.resolve("config.json")),
        read.texts().get("model_config/text_summary").get(0).text());
    assertEquals(Map.of("args/text_summary", "text", "model_config/text_summary", "text"), read.plugins());
    return run;
  }
}
