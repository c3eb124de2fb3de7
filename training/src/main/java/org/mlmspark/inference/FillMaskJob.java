package org.mlmspark.inference;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.trim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.mlmspark.Version;
import org.mlmspark.cli.UserError;
import org.mlmspark.spark.PartitionIterators;
import org.mlmspark.spark.TaskFailures;
import org.mlmspark.storage.InputFiles;

/**
 * The Spark side of batch fill-mask: reads the texts, runs {@link FillMask#predictAll} over chunks of each
 * partition with the executor's one copy of the model ({@link FillMaskModel#shared}), writes the input columns
 * plus {@value #PREDICTIONS} and {@value #ERROR}.
 */
public final class FillMaskJob {
  /** Where the results go below the output directory (beside manifest.json). */
  public static final String RESULTS = "predictions";
  public static final String PREDICTIONS = "predictions";
  public static final String ERROR = "error";
  /** The error of a JSON line Spark could not parse (the line itself is kept in Spark's _corrupt_record). */
  public static final String MALFORMED_JSON = "not a JSON object (see _corrupt_record)";

  /** One pipeline proposal, fields in the pipeline's order. */
  public static final StructType PREDICTION = new StructType()
      .add("score", DataTypes.DoubleType, false)
      .add("token", DataTypes.LongType, false)
      .add("token_str", DataTypes.StringType, false)
      .add("sequence", DataTypes.StringType, false);
  /** One list per mask token of the text, in text order: a single-mask text's pipeline result is element 0. */
  public static final ArrayType PREDICTIONS_TYPE =
      DataTypes.createArrayType(DataTypes.createArrayType(PREDICTION, false), false);

  private static final String SPARK_CORRUPT_RECORD = "_corrupt_record";

  /**
   * @param modelLocation what every executor loads: a model directory URI, or a hub id each resolves itself
   */
  public record Settings(String modelSpec, String modelLocation, int topK, String textColumn, int batchSize,
      OutputFormat format) {}

  public enum OutputFormat {
    PARQUET,
    JSON;

    /** The name of Spark's data source for this format. */
    String source() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final SparkSession spark;
  private final Settings settings;
  private final InputFiles inputs;

  public FillMaskJob(SparkSession spark, Settings settings, InputFiles inputs) {
    this.spark = spark;
    this.settings = settings;
    this.inputs = inputs;
  }

  /** Writes the results to {@code staging}/{@value #RESULTS} and returns what the run did. */
  public FillMaskManifest run(Path staging) {
    Dataset<Row> input = read();
    checkColumns(input.schema());
    Path results = new Path(staging, RESULTS);
    Dataset<Row> predicted = predict(input);
    TaskFailures.writing(results.toString(), () -> {
      predicted.write().format(settings.format().source()).save(results.toString());
      return null;
    });
    return manifest(countErrors(results));
  }

  /** All input files as one table; plain text lines become the text column (blank lines are skipped). */
  Dataset<Row> read() {
    List<Dataset<Row>> parts = new ArrayList<>();
    List<String> json = inputs.uris(InputFiles.Format.JSON_LINES);
    if (!json.isEmpty()) {
      parts.add(spark.read().json(json.toArray(String[]::new)));
    }
    List<String> parquet = inputs.uris(InputFiles.Format.PARQUET);
    if (!parquet.isEmpty()) {
      parts.add(spark.read().parquet(parquet.toArray(String[]::new)));
    }
    List<String> text = inputs.uris(InputFiles.Format.TEXT);
    if (!text.isEmpty()) {
      parts.add(spark.read().text(text.toArray(String[]::new))
          .filter(trim(col("value")).notEqual(""))
          .withColumnRenamed("value", settings.textColumn()));
    }
    return parts.stream().reduce((a, b) -> a.unionByName(b, true)).orElseThrow();
  }

  private void checkColumns(StructType schema) {
    List<String> names = Arrays.asList(schema.fieldNames());
    if (!names.contains(settings.textColumn())) {
      throw new UserError("the input has no column '" + settings.textColumn() + "' (it has: "
          + String.join(", ", names) + "); name the text column with --text-column");
    }
    DataType type = schema.apply(settings.textColumn()).dataType();
    if (!type.equals(DataTypes.StringType)) {
      throw new UserError("column '" + settings.textColumn() + "' holds " + type.simpleString() + ", not text");
    }
    for (String ours : List.of(PREDICTIONS, ERROR)) {
      if (names.contains(ours)) {
        throw new UserError("the input already has a column '" + ours + "', which the results would overwrite");
      }
    }
  }

  /** The input rows, in order, each with its predictions or its error. */
  Dataset<Row> predict(Dataset<Row> input) {
    StructType in = input.schema();
    StructType out = in.add(PREDICTIONS, PREDICTIONS_TYPE, true).add(ERROR, DataTypes.StringType, true);
    int textIndex = in.fieldIndex(settings.textColumn());
    int corruptIndex = Arrays.asList(in.fieldNames()).indexOf(SPARK_CORRUPT_RECORD);
    String location = settings.modelLocation();
    int topK = settings.topK();
    int batchSize = settings.batchSize();
    // Executors read the model with the driver's Hadoop settings (s3a endpoint, credentials), as Spark's own
    // file scans do.
    Broadcast<SerializableConfiguration> hadoopConf =
        SerializableConfiguration.broadcast(spark.sparkContext(), spark.sparkContext().hadoopConfiguration());
    MapPartitionsFunction<Row, Row> predictAll = rows -> {
      FillMask fillMask = FillMaskModel.shared(location, hadoopConf.value().value()).fillMask();
      return PartitionIterators.mapChunks(rows, batchSize, chunk -> {
        List<String> texts = chunk.stream().map(r -> r.isNullAt(textIndex) ? null : r.getString(textIndex)).toList();
        List<FillMask.Result> results = fillMask.predictAll(texts, topK);
        List<Row> rowsOut = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
          Row row = chunk.get(i);
          FillMask.Result result = results.get(i);
          boolean malformed = corruptIndex >= 0 && !row.isNullAt(corruptIndex);
          Object[] values = new Object[row.size() + 2];
          for (int c = 0; c < row.size(); c++) {
            values[c] = row.get(c);
          }
          values[row.size()] = result.predictions() == null ? null : toRows(result.predictions());
          values[row.size() + 1] = malformed ? MALFORMED_JSON : result.error();
          rowsOut.add(RowFactory.create(values));
        }
        return rowsOut;
      });
    };
    return input.mapPartitions(predictAll, Encoders.row(out));
  }

  private static Row[][] toRows(List<List<FillMask.Prediction>> perMask) {
    return perMask.stream()
        .map(list -> list.stream()
            .map(p -> RowFactory.create(p.score(), p.token(), p.tokenStr(), p.sequence()))
            .toArray(Row[]::new))
        .toArray(Row[][]::new);
  }

  /** Rows per error message (null: predicted), counted from what was written, so each row counts once. */
  private Map<String, Long> countErrors(Path results) {
    Map<String, Long> counts = new HashMap<>();
    for (Row r : spark.read().format(settings.format().source())
        .schema(new StructType().add(ERROR, DataTypes.StringType))
        .load(results.toString())
        .groupBy(ERROR).count().collectAsList()) {
      counts.put(r.isNullAt(0) ? null : r.getString(0), r.getLong(1));
    }
    return counts;
  }

  private FillMaskManifest manifest(Map<String, Long> byError) {
    long read = byError.values().stream().mapToLong(Long::longValue).sum();
    long predicted = byError.getOrDefault(null, 0L);
    Map<String, Long> errors = new TreeMap<>();
    byError.forEach((error, rows) -> {
      if (error != null) {
        errors.put(error, rows);
      }
    });
    return new FillMaskManifest(
        FillMaskManifest.FORMAT_VERSION,
        Version.VERSION,
        Instant.now().toString(),
        new FillMaskManifest.Model(settings.modelSpec(), settings.modelLocation()),
        new FillMaskManifest.Input(inputs.fingerprint(), inputs.totalBytes(), inputs.files()),
        new FillMaskManifest.Settings(settings.topK(), settings.textColumn(), settings.batchSize(),
            settings.format().source()),
        new FillMaskManifest.Rows(read, predicted, read - predicted, errors));
  }
}
