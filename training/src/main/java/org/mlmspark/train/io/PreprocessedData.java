package org.mlmspark.train.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mlmspark.support.Json;
import org.mlmspark.train.data.BlockDataset;

/**
 * A preprocessing run's output, {@code DIR/train/*.parquet}, {@code DIR/test/*.parquet} and {@code
 * DIR/manifest.json}, on any Hadoop file system, checked against the model before any training starts.
 *
 * <p>Read with Spark's Parquet reader on the driver: it reaches every file system Spark does (s3a:// included)
 * and the data-parallel trainer has a session anyway. The global order is the shards sorted by name, rows in
 * file order, taken from Parquet's own row index ({@code _metadata.row_index}) rather than from Spark's
 * partitioning, which packs file splits by size. At 4 bytes per token (51 MB for 100,000 blocks of 128) a split
 * fits on the driver, so it is collected into one {@link BlockDataset}.
 *
 * @param train the training blocks
 * @param test the evaluation blocks, or null when the run made no test split (or an empty one)
 */
public record PreprocessedData(BlockDataset train, BlockDataset test, JsonNode manifest) {
  public static final String MANIFEST = "manifest.json";
  /** bin/preprocess --word-starts's column: read when present, for whole-word masking. */
  public static final String WORD_START = "word_start";
  public static final String TRAIN = "train";
  public static final String TEST = "test";

  /** What the model accepts: ids in [0, vocabSize), blocks of at most maxLength tokens. */
  public record Limits(int vocabSize, int maxLength) {}

  private static final int EXAMPLES_SHOWN = 3;

  public static PreprocessedData load(SparkSession spark, String directory, Limits limits) throws IOException {
    Path root = new Path(directory);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    JsonNode manifest = readManifest(directory, spark.sparkContext().hadoopConfiguration());
    BlockDataset train = readSplit(spark, fs, root, TRAIN, manifest, limits);
    if (train == null) {
      throw new InvalidDataException("no training shards (" + TRAIN + "/*.parquet) in " + directory);
    }
    return new PreprocessedData(train, readSplit(spark, fs, root, TEST, manifest, limits), manifest);
  }

  /**
   * The manifest of a finished preprocessing run, read without Spark so that a wrong --data fails in seconds.
   * Raw input (the JSON lines bin/preprocess reads) is named as such, with the command that turns it into data.
   */
  public static JsonNode readManifest(String directory, Configuration conf) throws IOException {
    Path root = new Path(directory);
    FileSystem fs = root.getFileSystem(conf);
    if (!fs.exists(root)) {
      throw new InvalidDataException("no preprocessed data at " + directory);
    }
    Path manifestFile = new Path(root, MANIFEST);
    boolean file = !fs.getFileStatus(root).isDirectory();
    if (file && !isRawInput(root.getName())) {
      throw new InvalidDataException(directory + " is a file; --data takes bin/preprocess output, a directory with "
          + MANIFEST);
    }
    if (file || !fs.exists(manifestFile) && !fs.exists(new Path(root, TRAIN))
        && Arrays.stream(fs.listStatus(root)).anyMatch(f -> isRawInput(f.getPath().getName()))) {
      throw new InvalidDataException(directory + " is raw input, not bin/preprocess output; preprocess it first:"
          + " bin/preprocess --input " + directory + " --output DIR, then bin/train --data DIR");
    }
    if (!fs.exists(manifestFile)) {
      throw new InvalidDataException(directory + " has no " + MANIFEST + ": the preprocessing run that wrote it did"
          + " not finish (the manifest is written last). Run bin/preprocess again.");
    }
    try (InputStream in = fs.open(manifestFile)) {
      return Json.mapper().readTree(in);
    }
  }

  private static boolean isRawInput(String name) {
    return name.matches(".*\\.(jsonl|json|jsonl\\.gz|json\\.gz|parquet)$");
  }

  private static BlockDataset readSplit(SparkSession spark, FileSystem fs, Path root, String split,
      JsonNode manifest, Limits limits) throws IOException {
    Path dir = new Path(root, split);
    if (!fs.exists(dir)) {
      return null;
    }
    FileStatus[] shards = fs.listStatus(dir, path -> path.getName().endsWith(".parquet"));
    if (shards.length == 0) {
      return null;
    }
    String[] files = Arrays.stream(shards).map(s -> s.getPath().toString()).sorted().toArray(String[]::new);
    Dataset<Row> rows = spark.read().parquet(files);
    checkSchema(rows.schema(), dir);
    boolean withWordStarts = Arrays.asList(rows.schema().fieldNames()).contains(WORD_START);
    List<String> columns = new ArrayList<>(
        List.of("_metadata.file_name AS file", "_metadata.row_index AS row", "input_ids", "attention_mask"));
    if (withWordStarts) {
      columns.add(WORD_START);
    }
    Iterator<Row> ordered = rows
        .selectExpr(columns.toArray(String[]::new))
        .orderBy("file", "row")
        .toLocalIterator();

    Problems problems = new Problems(dir);
    BlockDataset.Builder blocks = new BlockDataset.Builder();
    int count = 0;
    while (ordered.hasNext()) {
      Row row = ordered.next();
      String where = row.getString(0) + " row " + row.getLong(1);
      int[] ids = ints(row.getList(2));
      int[] mask = ints(row.getList(3));
      int[] wordStarts = withWordStarts ? ints(row.getList(4)) : null;
      if (ids == null || mask == null || ids.length == 0) {
        problems.add("empty or null input_ids / attention_mask", where);
      } else if (ids.length != mask.length) {
        problems.add("attention_mask length differs from input_ids", where);
      } else if (Arrays.stream(mask).anyMatch(m -> m != 1)) {
        problems.add("padded block (attention_mask not all 1; group_texts writes full blocks)", where);
      } else if (withWordStarts && (wordStarts == null || wordStarts.length != ids.length
          || Arrays.stream(wordStarts).anyMatch(f -> f != 0 && f != 1))) {
        problems.add(WORD_START + " is not one 0 or 1 per token", where);
      } else if (ids.length > limits.maxLength()) {
        problems.add("block of " + ids.length + " tokens, longer than the model's " + limits.maxLength()
            + " positions", where);
      } else {
        OptionalInt outside =
            Arrays.stream(ids).filter(id -> id < 0 || id >= limits.vocabSize()).findFirst();
        if (outside.isPresent()) {
          problems.add("token id outside the model's vocabulary [0, " + limits.vocabSize() + ")",
              where + " (id " + outside.getAsInt() + ")");
        } else {
          blocks.add(ids, wordStarts);
        }
      }
      count++;
    }
    problems.throwIfAny(count);
    long expected = manifest.path("splits").path(split).path("blocks").asLong(-1);
    if (expected >= 0 && expected != count) {
      throw new InvalidDataException(dir + " holds " + count + " blocks but " + MANIFEST + " lists " + expected
          + ": the shards were changed after preprocessing");
    }
    return count == 0 ? null : blocks.build(); // --test-size 0 writes an empty test/: no split to evaluate on
  }

  private static void checkSchema(StructType schema, Path dir) {
    for (String column : List.of("input_ids", "attention_mask")) {
      StructField field = Arrays.stream(schema.fields()).filter(f -> f.name().equals(column)).findFirst()
          .orElseThrow(() -> new InvalidDataException(dir + " has no column " + column + " (columns: "
              + String.join(", ", schema.fieldNames()) + "); training reads bin/preprocess output:"
              + " input_ids array<int>, attention_mask array<int>"));
      DataType type = field.dataType();
      if (!(type instanceof ArrayType array) || !(array.elementType().equals(DataTypes.IntegerType)
          || array.elementType().equals(DataTypes.LongType))) {
        throw new InvalidDataException(dir + ": column " + column + " is " + type.simpleString()
            + ", expected array<int>");
      }
    }
  }

  private static int[] ints(List<Object> values) {
    if (values == null) {
      return null;
    }
    int[] ints = new int[values.size()];
    for (int i = 0; i < ints.length; i++) {
      Object value = values.get(i);
      if (value == null) {
        return null;
      }
      long id = ((Number) value).longValue();
      ints[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, id)); // beyond int: outside any vocab
    }
    return ints;
  }

  /** Every rejected block counted by reason, with the first few places: one error for the whole split. */
  private static final class Problems {
    private final Path dir;
    private final Map<String, List<String>> byReason = new TreeMap<>();
    private final Map<String, Integer> counts = new TreeMap<>();

    Problems(Path dir) {
      this.dir = dir;
    }

    void add(String reason, String where) {
      counts.merge(reason, 1, Integer::sum);
      List<String> examples = byReason.computeIfAbsent(reason, r -> new ArrayList<>());
      if (examples.size() < EXAMPLES_SHOWN) {
        examples.add(where);
      }
    }

    void throwIfAny(int total) {
      if (counts.isEmpty()) {
        return;
      }
      StringBuilder message = new StringBuilder(dir + ": " + counts.values().stream().mapToInt(i -> i).sum()
          + " of " + total + " blocks cannot be trained on:");
      counts.forEach((reason, count) -> message.append("\n  ").append(count).append(" × ").append(reason)
          .append(", e.g. ").append(String.join("; ", byReason.get(reason))));
      throw new InvalidDataException(message.toString());
    }
  }
}
