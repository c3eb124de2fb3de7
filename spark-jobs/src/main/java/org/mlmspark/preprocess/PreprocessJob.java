package org.mlmspark.preprocess;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.base64;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.mlmspark.Version;
import org.mlmspark.cli.UserError;
import org.mlmspark.eli5.Eli5Schema;
import org.mlmspark.eli5.RejectReason;
import org.mlmspark.spark.PartitionIterators;
import org.mlmspark.spark.TaskFailures;
import org.mlmspark.storage.InputFiles;
import org.mlmspark.tokenizer.ResolvedTokenizer;
import org.mlmspark.tokenizer.TokenIdEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ELI5 → train/test Parquet shards of {@code group_texts} blocks ({@link #run}). The input is read and parsed
 * once: that pass ({@link Selector}) keeps each question's text and its rank in its file split, persisted to
 * local disk, and reports per-split counts from which the driver numbers every row in input order
 * ({@link RowIndexPlan}). Then each split (train, test) is tokenized, shuffled batch by batch to its shards and
 * grouped, reading only the persisted pass. Nothing is collected to the driver but counts, and every step
 * streams, so memory does not grow with the input.
 */
public final class PreprocessJob {
  private static final Logger LOG = LoggerFactory.getLogger(PreprocessJob.class);

  // Column names along the chain.
  static final String RAW = "raw";
  static final String FILE = "file";
  static final String START = "start";
  static final String REASON = "reason";
  static final String DETAIL = "detail";
  static final String BATCH = "batch";
  static final String POSITION = "position";
  public static final String INPUT_IDS = "input_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  /** With --word-starts: 1 where a token starts a word ({@link org.mlmspark.tokenizer.WordStarts}), else 0. */
  public static final String WORD_START = "word_start";
  static final String TOKENS_DROPPED = "tokens_dropped";

  private static final StructType REJECTS =
      new StructType()
          .add(REASON, DataTypes.StringType, false)
          .add(DETAIL, DataTypes.StringType, false)
          .add(FILE, DataTypes.StringType, false)
          .add(RAW, DataTypes.BinaryType, false);
  private static final StructType TOKENIZED =
      new StructType()
          .add(BATCH, DataTypes.LongType, false)
          .add(POSITION, DataTypes.LongType, false)
          .add(INPUT_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add(WORD_START, DataTypes.createArrayType(DataTypes.IntegerType, false), true);
  private static final StructType BLOCKS =
      new StructType()
          .add(INPUT_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add(WORD_START, DataTypes.createArrayType(DataTypes.IntegerType, false), true)
          .add(TOKENS_DROPPED, DataTypes.IntegerType, false);

  private static final String ADAPTIVE = "spark.sql.adaptive.enabled";
  /** Bytes of input per split, as Spark's file sources cut them (conf/spark-defaults.conf sets 16 MB). */
  private static final String MAX_PARTITION_BYTES = "spark.sql.files.maxPartitionBytes";

  /** Texts per tokenizer call: big enough to spread over cores, small enough to stream. */
  private static final int TOKENIZER_BATCH = 256;

  private final SparkSession spark;
  private final PreprocessSettings settings;
  private final ResolvedTokenizer tokenizer;
  private final InputFiles inputs;
  private final Eli5Schema schema;

  public PreprocessJob(
      SparkSession spark,
      PreprocessSettings settings,
      ResolvedTokenizer tokenizer,
      InputFiles inputs,
      Eli5Schema schema) {
    this.spark = spark;
    this.settings = settings;
    this.tokenizer = tokenizer;
    this.inputs = inputs;
    this.schema = schema;
  }

  /**
   * Runs the job, writing {@code train/}, {@code test/} and {@code _rejects/} under {@code staging}. Adaptive query
   * execution is off while it runs, unless the session sets it: AQE re-plans after every shuffle to coalesce
   * partitions and split skewed joins, but this job sets its partition counts itself and joins nothing, so AQE
   * only adds planning and a job per shuffle (~0.5 s of a 10,000-row run; docs/preprocess.md).
   */
  public Manifest run(Path staging) {
    RuntimeConfig conf = spark.conf();
    boolean sessionChose = conf.contains(ADAPTIVE);
    if (!sessionChose) {
      conf.set(ADAPTIVE, false);
    }
    try {
      return runPasses(staging);
    } finally {
      if (!sessionChose) {
        conf.unset(ADAPTIVE);
      }
    }
  }

  private Manifest runPasses(Path staging) {
    // On disk, not in memory: the pass holds every question's text.
    JavaRDD<byte[]> selected = select().persist(StorageLevel.DISK_ONLY());
    // tokenizer.json travels once per executor and is loaded once per executor JVM (TokenIdEncoder.shared).
    Broadcast<byte[]> tokenizerJson = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(tokenizer.json());
    try {
      spark.sparkContext().setJobDescription("read and select");
      Selected.Summary counts = summarize(selected); // runs the pass
      RowIndexPlan plan =
          RowIndexPlan.build(counts.units(), inputs.order(), settings.limit() == null ? Long.MAX_VALUE : settings.limit());
      LOG.info("Selected {} questions: {} train, {} test", plan.trainRows() + plan.testRows(), plan.trainRows(), plan.testRows());
      failOnTooManyRejects(counts, selected);
      failWhenEmpty(plan);

      // Both splits at once: the test job's tasks fill the cores whenever the train job's stages leave one idle.
      CompletableFuture<Manifest.Split> test =
          CompletableFuture.supplyAsync(() -> writeSplit(selected, plan, tokenizerJson, true, new Path(staging, Manifest.TEST)));
      Map<String, Manifest.Split> splits = new TreeMap<>();
      try {
        splits.put(Manifest.TRAIN, writeSplit(selected, plan, tokenizerJson, false, new Path(staging, Manifest.TRAIN)));
      } catch (RuntimeException e) {
        test.handle((split, error) -> null).join(); // its tasks read the persisted pass, removed below
        throw e;
      }
      splits.put(Manifest.TEST, join(test));
      if (!counts.rejectedByReason().isEmpty()) {
        writeRejects(selected, new Path(staging, Manifest.REJECTS));
      }
      return manifest(counts, plan, splits);
    } finally {
      // Blocking: a removal still running when the JVM exits and Spark deletes its local dirs logs warnings.
      selected.unpersist(true);
      tokenizerJson.destroy();
    }
  }

  /**
   * The one pass over the input ({@link Selector}), each partition's records encoded and then its summary. JSON
   * lines are read by {@link JsonLinesSplits} in bounded memory (an over-long line is measured, not held); Parquet
   * rows go through the same validation as JSON lines, so both report problems alike.
   */
  JavaRDD<byte[]> select() {
    Eli5Schema layout = schema;
    int maxTextChars = settings.maxTextChars();
    String subreddit = settings.subreddit();
    TrainTestSplit split = new TrainTestSplit(settings.seed(), settings.testSize());
    boolean keepTestFlags = settings.limit() != null;
    List<JavaRDD<byte[]>> parts = new ArrayList<>();
    List<InputFiles.InputFile> jsonLines =
        inputs.files().stream().filter(f -> f.format() == InputFiles.Format.JSON_LINES).toList();
    if (!jsonLines.isEmpty()) {
      long splitBytes = JavaUtils.byteStringAsBytes(spark.conf().get(MAX_PARTITION_BYTES, "128m"));
      List<List<JsonLinesSplits.Split>> partitions =
          JsonLinesSplits.partitions(jsonLines, spark.sparkContext().hadoopConfiguration(), splitBytes);
      Map<String, String> hadoop = JsonLinesSplits.settings(spark.sparkContext().hadoopConfiguration());
      int maxLineBytes = Selector.maxLineBytes(maxTextChars);
      // Partition numbers go through the data serializer, the splits through the closure's (Java) serialization:
      // Kryo cannot serialize records on Java 17.
      parts.add(JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(IntStream.range(0, partitions.size()).boxed().toList(), partitions.size())
          .mapPartitions(numbers -> {
            List<JsonLinesSplits.Split> all = new ArrayList<>();
            numbers.forEachRemaining(number -> all.addAll(partitions.get(number)));
            return PartitionIterators.map(
                new Selector(JsonLinesSplits.lines(all, hadoop, maxLineBytes), layout, maxTextChars, subreddit,
                    split, keepTestFlags),
                Selected::encode);
          }));
    }
    List<String> parquet = inputs.uris(InputFiles.Format.PARQUET);
    if (!parquet.isEmpty()) {
      parts.add(
          spark.read().parquet(parquet.toArray(String[]::new))
              .select(
                  to_json(struct(col("*"))).cast(DataTypes.BinaryType).as(RAW),
                  col("_metadata.file_path").as(FILE),
                  col("_metadata.file_block_start").as(START))
              .javaRDD()
              .mapPartitions(
                  rows ->
                      PartitionIterators.map(
                          new Selector(
                              PartitionIterators.map(
                                  rows, r -> new Selector.Line(r.getAs(FILE), r.<Long>getAs(START), r.getAs(RAW))),
                              layout, maxTextChars, subreddit, split, keepTestFlags),
                          Selected::encode)));
    }
    return parts.stream().reduce(JavaRDD::union).orElseThrow();
  }

  /** Runs the pass (filling the persisted copy) and adds up the partitions' summaries. */
  private static Selected.Summary summarize(JavaRDD<byte[]> selected) {
    long read = 0;
    Map<String, Long> rejectedByReason = new TreeMap<>();
    List<RowIndexPlan.UnitTally> units = new ArrayList<>();
    for (byte[] encoded : selected.filter(b -> Selected.kind(b) == Selected.SUMMARY).collect()) {
      Selected.Summary s = (Selected.Summary) Selected.decode(encoded);
      read += s.read();
      s.rejectedByReason().forEach((reason, n) -> rejectedByReason.merge(reason, n, Long::sum));
      units.addAll(s.units());
    }
    return new Selected.Summary(read, rejectedByReason, units);
  }

  /**
   * One split: its questions within the limit tokenized, then {@code group_texts} per batch, one shuffle
   * bringing each batch's rows together, in order, in its shard. Returns the split's counts.
   */
  private Manifest.Split writeSplit(
      JavaRDD<byte[]> selected, RowIndexPlan plan, Broadcast<byte[]> tokenizerJson, boolean test, Path dir) {
    spark.sparkContext().setJobDescription("tokenize and write " + (test ? Manifest.TEST : Manifest.TRAIN));
    long rows = test ? plan.testRows() : plan.trainRows();
    int shards = settings.shards() != null ? settings.shards() : spark.sparkContext().defaultParallelism();
    boolean byPartition = settings.groupBy() == GroupBy.PARTITION;
    ShardLayout layout = new ShardLayout(shards, byPartition ? selected.getNumPartitions() : batches(rows));
    UserDefinedFunction shard = udf((UDF1<Long, Integer>) layout::partitionOf, DataTypes.IntegerType);

    Observation stats = new Observation(test ? "test blocks" : "train blocks");
    Dataset<Row> blocks =
        tokenize(spark.createDataset(selected.rdd(), Encoders.BINARY()), plan, tokenizerJson, test)
            .repartitionById(layout.shards(), shard.apply(col(BATCH)))
            .sortWithinPartitions(BATCH, POSITION)
            .mapPartitions(groupAll(settings.blockSize()), Encoders.row(BLOCKS))
            .observe(
                stats,
                count(lit(1)).as("blocks"),
                coalesce(sum(size(col(INPUT_IDS))), lit(0L)).as("in_blocks"),
                coalesce(sum(col(TOKENS_DROPPED)), lit(0L)).as("dropped"));
    List<Column> columns = new ArrayList<>(List.of(col(INPUT_IDS),
        array_repeat(lit(1), size(col(INPUT_IDS))).as(ATTENTION_MASK)));
    if (settings.wordStarts()) {
      columns.add(col(WORD_START));
    }
    TaskFailures.writing(dir.toString(), () -> {
      blocks
          .select(columns.toArray(Column[]::new))
          .write()
          .mode(SaveMode.Overwrite) // staging belongs to this run; object stores may still list a deleted dir
          .parquet(dir.toString());
      return null;
    });
    Map<String, Object> observed = observed(stats);
    long inBlocks = ((Number) observed.get("in_blocks")).longValue();
    long dropped = ((Number) observed.get("dropped")).longValue();
    return new Manifest.Split(rows, inBlocks + dropped, ((Number) observed.get("blocks")).longValue(), inBlocks, dropped);
  }

  /**
   * Token ids of one split's questions within the limit, as the guide's {@code tokenizer(texts)}, with each
   * row's batch and position.
   */
  private Dataset<Row> tokenize(Dataset<byte[]> selected, RowIndexPlan plan, Broadcast<byte[]> json, boolean test) {
    byte kind = test ? Selected.TEST : Selected.TRAIN;
    boolean byPartition = settings.groupBy() == GroupBy.PARTITION;
    long batchRows = settings.batchRows();
    boolean wordStarts = settings.wordStarts();
    String fingerprint = tokenizer.fingerprint();
    MapPartitionsFunction<byte[], Row> tokenizeAll =
        records -> {
          TokenIdEncoder encoder = TokenIdEncoder.shared(fingerprint, json.value());
          long partition = TaskContext.getPartitionId();
          return PartitionIterators.mapChunks(
              PartitionIterators.map(
                  records,
                  encoded -> {
                    if (Selected.kind(encoded) != kind) {
                      return null;
                    }
                    Selected.Question q = (Selected.Question) Selected.decode(encoded);
                    long position = plan.index(q.unit(), test, q.rank());
                    return position < 0 ? null : new Positioned(byPartition ? partition : position / batchRows, position, q.text());
                  }),
              TOKENIZER_BATCH,
              chunk -> {
                String[] texts = chunk.stream().map(Positioned::text).toArray(String[]::new);
                List<Row> out = new ArrayList<>(chunk.size());
                if (wordStarts) {
                  TokenIdEncoder.WithWordStarts[] encoded = encoder.encodeWithWordStarts(texts);
                  for (int i = 0; i < encoded.length; i++) {
                    out.add(row(TOKENIZED, chunk.get(i).batch(), chunk.get(i).position(), encoded[i].ids(),
                        encoded[i].wordStarts()));
                  }
                  return out;
                }
                int[][] ids = encoder.encode(texts);
                for (int i = 0; i < ids.length; i++) {
                  out.add(row(TOKENIZED, chunk.get(i).batch(), chunk.get(i).position(), ids[i], null));
                }
                return out;
              });
        };
    return selected.mapPartitions(tokenizeAll, Encoders.row(TOKENIZED));
  }

  /** A question's text with its batch and its index within its split. */
  private record Positioned(long batch, long position, String text) {}

  /** {@code group_texts} over a shard's rows, sorted by batch and position. */
  private static MapPartitionsFunction<Row, Row> groupAll(int blockSize) {
    return rows ->
        PartitionIterators.map(
            new BatchBlocks(
                PartitionIterators.map(
                    rows, r -> new BatchBlocks.Row(r.getLong(0), toIntArray(r.getList(2)),
                        r.isNullAt(3) ? null : toIntArray(r.getList(3)))),
                blockSize),
            b -> row(BLOCKS, b.ids(), b.wordStarts(), b.tokensDropped()));
  }

  /** JSON lines: reason code, detail, source file and the raw record (base64 too when not valid UTF-8). */
  private void writeRejects(JavaRDD<byte[]> selected, Path dir) {
    spark.sparkContext().setJobDescription("write rejects");
    TaskFailures.writing(dir.toString(), () -> {
      writeRejectsJson(selected, dir);
      return null;
    });
  }

  private void writeRejectsJson(JavaRDD<byte[]> selected, Path dir) {
    spark.createDataFrame(rejects(selected), REJECTS)
        .select(
            col(REASON),
            col(DETAIL),
            col(FILE),
            col(RAW).cast(DataTypes.StringType).as("raw"),
            when(col(REASON).equalTo(RejectReason.INVALID_UTF8.code()),
                    regexp_replace(base64(col(RAW)), "\\s", "")) // Spark wraps base64 lines
                .as("raw_base64"))
        .write()
        .mode(SaveMode.Overwrite)
        .json(dir.toString());
  }

  private static JavaRDD<Row> rejects(JavaRDD<byte[]> selected) {
    return selected
        .filter(b -> Selected.kind(b) == Selected.REJECT)
        .map(b -> {
          Selected.Reject r = (Selected.Reject) Selected.decode(b);
          return RowFactory.create(r.reason(), r.detail(), r.file(), r.raw());
        });
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static Map<String, Object> observed(Observation observation) {
    try {
      return observation.getAsJava();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void failOnTooManyRejects(Selected.Summary counts, JavaRDD<byte[]> selected) {
    long read = counts.read();
    if (read == 0) {
      throw new UserError("the input holds no records", UserError.FAILED, null);
    }
    Map<String, Long> byReason = counts.rejectedByReason();
    long rejected = byReason.values().stream().mapToLong(Long::longValue).sum();
    if (rejected == 0) {
      return;
    }
    String summary = byReason.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    LOG.warn("Rejected {} of {} records: {}", rejected, read, summary);
    if (rejected > settings.maxRejectFraction() * read) {
      Row example = rejects(selected).first();
      throw new UserError(
          String.format(
              "%d of %d records rejected (%.2f%%), more than --max-reject-fraction %s (%s); e.g. %s in %s: %s",
              rejected, read, 100.0 * rejected / read, settings.maxRejectFraction(), summary,
              example.getString(0), example.getString(2), example.getString(1)),
          UserError.FAILED,
          null);
    }
  }

  private static void failWhenEmpty(RowIndexPlan plan) {
    if (plan.trainRows() + plan.testRows() == 0) {
      throw new UserError("no questions left to preprocess (check --subreddit)", UserError.FAILED, null);
    }
  }

  private long batches(long rows) {
    return (rows + settings.batchRows() - 1) / settings.batchRows();
  }

  private Manifest manifest(Selected.Summary counts, RowIndexPlan plan, Map<String, Manifest.Split> splits) {
    long read = counts.read();
    long rejected = counts.rejectedByReason().values().stream().mapToLong(Long::longValue).sum();
    Manifest.Rows rows =
        new Manifest.Rows(
            read,
            rejected,
            counts.rejectedByReason(),
            read - rejected - plan.selectedRows(),
            plan.selectedRows() - plan.trainRows() - plan.testRows(),
            plan.trainRows(),
            plan.testRows());
    return new Manifest(
        Manifest.FORMAT_VERSION,
        Version.VERSION,
        Instant.now().toString(),
        new Manifest.Input(inputs.fingerprint(), inputs.totalBytes(), inputs.files()),
        new Manifest.Tokenizer(tokenizer.id(), tokenizer.fingerprint(), tokenizer.source()),
        schema.cliName(),
        settings,
        rows,
        splits);
  }

  /**
   * A row that knows its schema, so later steps can read fields by name even when Spark hands it over without
   * a serialization round trip.
   */
  private static Row row(StructType schema, Object... values) {
    return new GenericRowWithSchema(values, schema);
  }

  private static int[] toIntArray(List<Integer> values) {
    int[] result = new int[values.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = values.get(i);
    }
    return result;
  }
}
