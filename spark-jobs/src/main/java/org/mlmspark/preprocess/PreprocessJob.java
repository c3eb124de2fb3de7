package org.mlmspark.preprocess;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.base64;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.mlmspark.Version;
import org.mlmspark.cli.UserError;
import org.mlmspark.eli5.Eli5Parser;
import org.mlmspark.eli5.Eli5Schema;
import org.mlmspark.eli5.ParseResult;
import org.mlmspark.eli5.RejectReason;
import org.mlmspark.preprocess.RowIndexPlan.Unit;
import org.mlmspark.preprocess.RowIndexPlan.UnitTally;
import org.mlmspark.spark.PartitionIterators;
import org.mlmspark.storage.InputFiles;
import org.mlmspark.tokenizer.ResolvedTokenizer;
import org.mlmspark.tokenizer.TokenIdEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * ELI5 → train/test Parquet shards of {@code group_texts} blocks, as a chain of {@code Dataset<Row>} steps
 * ({@link #run}). Steps keep rows in input order inside each partition and never shuffle before grouping, which
 * is what lets {@link RowIndexPlan} number rows in input order.
 */
public final class PreprocessJob {
  private static final Logger LOG = LoggerFactory.getLogger(PreprocessJob.class);

  // Column names along the chain.
  static final String RAW = "raw";
  static final String FILE = "file";
  static final String START = "start";
  static final String Q_ID = "q_id";
  static final String SUBREDDIT = "subreddit";
  static final String ANSWERS = "answers_text";
  static final String REASON = "reason";
  static final String DETAIL = "detail";
  static final String TEXT = "text";
  static final String IS_TEST = "is_test";
  static final String BATCH = "batch";
  static final String POSITION = "position";
  static final String ROWS = "rows";
  static final String TEST_ROWS = "test_rows";
  static final String TEST_FLAGS = "test_flags";
  public static final String INPUT_IDS = "input_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  static final String TOKENS_DROPPED = "tokens_dropped";
  private static final String READ = "read";

  private static final StructType PARSED =
      new StructType()
          .add(FILE, DataTypes.StringType, false)
          .add(START, DataTypes.LongType, false)
          .add(Q_ID, DataTypes.StringType)
          .add(SUBREDDIT, DataTypes.StringType)
          .add(ANSWERS, DataTypes.createArrayType(DataTypes.StringType, false))
          .add(REASON, DataTypes.StringType)
          .add(DETAIL, DataTypes.StringType)
          .add(RAW, DataTypes.BinaryType);
  private static final StructType TALLIES =
      new StructType()
          .add(FILE, DataTypes.StringType, false)
          .add(START, DataTypes.LongType, false)
          .add(ROWS, DataTypes.LongType, false)
          .add(TEST_ROWS, DataTypes.LongType, false)
          .add(TEST_FLAGS, DataTypes.BinaryType);
  private static final StructType INDEXED =
      new StructType()
          .add(IS_TEST, DataTypes.BooleanType, false)
          .add(BATCH, DataTypes.LongType, false)
          .add(POSITION, DataTypes.LongType, false)
          .add(TEXT, DataTypes.StringType, false);
  private static final StructType TOKENIZED =
      new StructType()
          .add(IS_TEST, DataTypes.BooleanType, false)
          .add(BATCH, DataTypes.LongType, false)
          .add(POSITION, DataTypes.LongType, false)
          .add(INPUT_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false);
  private static final StructType BLOCKS =
      new StructType()
          .add(IS_TEST, DataTypes.BooleanType, false)
          .add(INPUT_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add(TOKENS_DROPPED, DataTypes.IntegerType, false);

  /** Texts per native tokenizer call: big enough to spread over cores, small enough to stream. */
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

  /** Runs the job, writing {@code train/}, {@code test/} and {@code _rejects/} under {@code staging}. */
  public Manifest run(Path staging) {
    Observation recordCounts = new Observation("records");
    Dataset<Row> records = countByReason(parse(read()), recordCounts);
    Dataset<Row> questions = split(flattenAndJoin(keepSubreddit(accepted(records))));

    RowIndexPlan plan = planRowIndex(questions); // the first pass over the input also fills recordCounts
    Map<String, Long> rejectsByReason = rejectsByReason(recordCounts);
    long read = observed(recordCounts, READ);
    failOnTooManyRejects(read, rejectsByReason, rejected(records));
    failWhenEmpty(plan);

    Dataset<Row> blocks =
        group(tokenize(index(questions, plan)), shardLayout(plan, questions))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      write(blocks, false, new Path(staging, Manifest.TRAIN));
      write(blocks, true, new Path(staging, Manifest.TEST));
      if (!rejectsByReason.isEmpty()) {
        writeRejects(rejected(records), new Path(staging, Manifest.REJECTS));
      }
      return manifest(read, rejectsByReason, plan, blockStats(blocks));
    } finally {
      blocks.unpersist();
    }
  }

  /** Every input row as raw bytes, with the file split it came from (rows stay in file order per split). */
  Dataset<Row> read() {
    List<Dataset<Row>> parts = new ArrayList<>();
    List<String> jsonLines = inputs.uris(InputFiles.Format.JSON_LINES);
    if (!jsonLines.isEmpty()) {
      parts.add(
          spark.read().format("text").load(jsonLines.toArray(String[]::new))
              .select(col("value"), col("_metadata.file_path").as(FILE), col("_metadata.file_block_start").as(START))
              .filter(trim(col("value")).notEqual("")) // blank lines separate no records
              .select(col("value").cast(DataTypes.BinaryType).as(RAW), col(FILE), col(START)));
    }
    List<String> parquet = inputs.uris(InputFiles.Format.PARQUET);
    if (!parquet.isEmpty()) {
      // Parquet rows go through the same validation as JSON lines, so both report problems alike.
      parts.add(
          spark.read().parquet(parquet.toArray(String[]::new))
              .select(
                  to_json(struct(col("*"))).cast(DataTypes.BinaryType).as(RAW),
                  col("_metadata.file_path").as(FILE),
                  col("_metadata.file_block_start").as(START)));
    }
    return parts.stream().reduce(Dataset::union).orElseThrow();
  }

  /** Validates each record: questions get their fields, rejects a reason and their raw bytes. */
  Dataset<Row> parse(Dataset<Row> raw) {
    Eli5Schema layout = schema;
    int maxTextChars = settings.maxTextChars();
    MapPartitionsFunction<Row, Row> parseAll =
        rows -> {
          Eli5Parser parser = new Eli5Parser(layout, maxTextChars);
          return PartitionIterators.map(
              rows,
              row -> {
                byte[] bytes = row.getAs(RAW);
                String file = row.getAs(FILE);
                long start = row.getAs(START);
                ParseResult result = parser.parse(bytes);
                if (result instanceof ParseResult.Question q) {
                  return row(
                      PARSED, file, start, q.qId(), q.subreddit(), q.answerTexts().toArray(String[]::new), null, null, null);
                }
                ParseResult.Rejected r = (ParseResult.Rejected) result;
                return row(PARSED, file, start, null, null, null, r.reason().code(), r.detail(), bytes);
              });
        };
    return raw.mapPartitions(parseAll, Encoders.row(PARSED));
  }

  static Dataset<Row> accepted(Dataset<Row> records) {
    return records.filter(col(REASON).isNull()).select(FILE, START, Q_ID, SUBREDDIT, ANSWERS);
  }

  static Dataset<Row> rejected(Dataset<Row> records) {
    return records.filter(col(REASON).isNotNull());
  }

  Dataset<Row> keepSubreddit(Dataset<Row> questions) {
    String subreddit = settings.subreddit();
    return subreddit == null ? questions : questions.filter(lower(col(SUBREDDIT)).equalTo(subreddit.toLowerCase()));
  }

  /** The guide's {@code flatten()} then {@code " ".join(answers.text)}: one text per question. */
  static Dataset<Row> flattenAndJoin(Dataset<Row> questions) {
    UserDefinedFunction join =
        udf(
            (UDF1<scala.collection.Seq<String>, String>) answers ->
                AnswerJoiner.join(CollectionConverters.asJava(answers)),
            DataTypes.StringType);
    return questions.withColumn(TEXT, join.apply(col(ANSWERS))).drop(ANSWERS);
  }

  Dataset<Row> split(Dataset<Row> questions) {
    TrainTestSplit split = new TrainTestSplit(settings.seed(), settings.testSize());
    UserDefinedFunction isTest = udf((UDF1<String, Boolean>) split::isTest, DataTypes.BooleanType);
    return questions.withColumn(IS_TEST, isTest.apply(col(Q_ID)));
  }

  /** Numbers rows within their split in input order, drops rows beyond {@code --limit}, assigns batches. */
  Dataset<Row> index(Dataset<Row> questions, RowIndexPlan plan) {
    boolean byPartition = settings.groupBy() == GroupBy.PARTITION;
    long batchRows = settings.batchRows();
    MapPartitionsFunction<Row, Row> indexAll =
        rows -> {
          RowIndexPlan.Cursor cursor = plan.cursor();
          long partition = TaskContext.getPartitionId();
          return PartitionIterators.map(
              rows,
              row -> {
                boolean test = row.getAs(IS_TEST);
                long position = cursor.next(new Unit(row.getAs(FILE), row.getAs(START)), test);
                if (position < 0) {
                  return null;
                }
                long batch = byPartition ? partition : position / batchRows;
                return row(INDEXED, test, batch, position, row.<String>getAs(TEXT));
              });
        };
    return questions.select(FILE, START, IS_TEST, TEXT).mapPartitions(indexAll, Encoders.row(INDEXED));
  }

  /**
   * Token ids as the guide's {@code tokenizer(texts)}. The tokenizer.json travels once per executor as a
   * broadcast and is loaded once per executor JVM; Spark cleans the broadcast up once the job drops it.
   */
  Dataset<Row> tokenize(Dataset<Row> indexed) {
    String sha256 = tokenizer.sha256();
    Broadcast<byte[]> json = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(tokenizer.json());
    MapPartitionsFunction<Row, Row> tokenizeAll =
        rows -> {
          TokenIdEncoder encoder = TokenIdEncoder.shared(sha256, json.value());
          return PartitionIterators.mapChunks(
              rows,
              TOKENIZER_BATCH,
              chunk -> {
                int[][] ids = encoder.encode(chunk.stream().map(r -> r.<String>getAs(TEXT)).toArray(String[]::new));
                List<Row> out = new ArrayList<>(chunk.size());
                for (int i = 0; i < ids.length; i++) {
                  Row r = chunk.get(i);
                  out.add(row(TOKENIZED, r.getAs(IS_TEST), r.getAs(BATCH), r.getAs(POSITION), ids[i]));
                }
                return out;
              });
        };
    return indexed.mapPartitions(tokenizeAll, Encoders.row(TOKENIZED));
  }

  /** {@code group_texts} per batch: one shuffle brings each batch's rows together, in order, in its shard. */
  Dataset<Row> group(Dataset<Row> tokenized, ShardLayout layout) {
    int blockSize = settings.blockSize();
    UserDefinedFunction shard = udf((UDF2<Boolean, Long, Integer>) layout::partitionOf, DataTypes.IntegerType);
    MapPartitionsFunction<Row, Row> groupAll =
        rows ->
            PartitionIterators.map(
                new BatchBlocks(
                    PartitionIterators.map(
                        rows,
                        r -> new BatchBlocks.Row(r.getAs(IS_TEST), r.getAs(BATCH), toIntArray(r.getList(r.fieldIndex(INPUT_IDS))))),
                    blockSize),
                b -> row(BLOCKS, b.test(), b.ids(), b.tokensDropped()));
    return tokenized
        .repartitionById(layout.partitions(), shard.apply(col(IS_TEST), col(BATCH)))
        .sortWithinPartitions(IS_TEST, BATCH, POSITION)
        .mapPartitions(groupAll, Encoders.row(BLOCKS));
  }

  private static void write(Dataset<Row> blocks, boolean test, Path dir) {
    blocks
        .filter(col(IS_TEST).equalTo(test))
        .select(col(INPUT_IDS), array_repeat(lit(1), size(col(INPUT_IDS))).as(ATTENTION_MASK))
        .write()
        .mode(SaveMode.Overwrite) // staging belongs to this run; object stores may still list a deleted dir
        .parquet(dir.toString());
  }

  /** JSON lines: reason code, detail, source file and the raw record (base64 too when not valid UTF-8). */
  private static void writeRejects(Dataset<Row> rejects, Path dir) {
    rejects
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

  /** Counts records, and rejects per reason, as a side effect of the first pass over them. */
  private static Dataset<Row> countByReason(Dataset<Row> records, Observation counts) {
    Column[] perReason =
        Arrays.stream(RejectReason.values())
            .map(r -> count(when(col(REASON).equalTo(r.code()), 1)).as(r.code()))
            .toArray(Column[]::new);
    return records.observe(counts, count(lit(1)).as(READ), perReason);
  }

  private static long observed(Observation counts, String name) {
    try {
      return ((Number) counts.getAsJava().get(name)).longValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Long> rejectsByReason(Observation counts) {
    Map<String, Long> byReason = new TreeMap<>();
    for (RejectReason reason : RejectReason.values()) {
      long n = observed(counts, reason.code());
      if (n > 0) {
        byReason.put(reason.code(), n);
      }
    }
    return byReason;
  }

  private void failOnTooManyRejects(long read, Map<String, Long> byReason, Dataset<Row> rejects) {
    if (read == 0) {
      throw new UserError("the input holds no records", UserError.FAILED, null);
    }
    long rejected = byReason.values().stream().mapToLong(Long::longValue).sum();
    if (rejected == 0) {
      return;
    }
    String summary = byReason.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    LOG.warn("Rejected {} of {} records: {}", rejected, read, summary);
    if (rejected > settings.maxRejectFraction() * read) {
      Row example = rejects.select(REASON, DETAIL, FILE).first();
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

  /** First pass: counts selected rows per file split, so the second can number them in input order. */
  private RowIndexPlan planRowIndex(Dataset<Row> questions) {
    boolean keepTestFlags = settings.limit() != null;
    MapPartitionsFunction<Row, Row> tallyAll =
        rows -> {
          RowIndexPlan.Tally tally = new RowIndexPlan.Tally(keepTestFlags);
          rows.forEachRemaining(r -> tally.add(new Unit(r.getString(0), r.getLong(1)), r.getBoolean(2)));
          return tally.tallies().stream()
              .map(t -> row(
                  TALLIES, t.unit().file(), t.unit().start(), t.rows(), t.testRows(),
                  t.testFlags() == null ? null : t.testFlags().toByteArray()))
              .iterator();
        };
    List<UnitTally> tallies = new ArrayList<>();
    for (Row r : questions.select(FILE, START, IS_TEST).mapPartitions(tallyAll, Encoders.row(TALLIES)).collectAsList()) {
      tallies.add(
          new UnitTally(
              new Unit(r.getString(0), r.getLong(1)), r.getLong(2), r.getLong(3),
              r.isNullAt(4) ? null : BitSet.valueOf((byte[]) r.get(4))));
    }
    RowIndexPlan plan =
        RowIndexPlan.build(tallies, inputs.order(), settings.limit() == null ? Long.MAX_VALUE : settings.limit());
    LOG.info("Selected {} questions: {} train, {} test", plan.trainRows() + plan.testRows(), plan.trainRows(), plan.testRows());
    return plan;
  }

  private ShardLayout shardLayout(RowIndexPlan plan, Dataset<Row> questions) {
    int shards = settings.shards() != null ? settings.shards() : spark.sparkContext().defaultParallelism();
    if (settings.groupBy() == GroupBy.PARTITION) {
      long partitions = questions.rdd().getNumPartitions();
      return new ShardLayout(shards, partitions, partitions);
    }
    return new ShardLayout(shards, batches(plan.trainRows()), batches(plan.testRows()));
  }

  private long batches(long rows) {
    return (rows + settings.batchRows() - 1) / settings.batchRows();
  }

  private static Map<Boolean, Manifest.Split> blockStats(Dataset<Row> blocks) {
    Map<Boolean, Manifest.Split> stats = new HashMap<>();
    for (Row r :
        blocks.groupBy(IS_TEST)
            .agg(count(lit(1)), sum(size(col(INPUT_IDS))), sum(col(TOKENS_DROPPED)))
            .collectAsList()) {
      long blocksWritten = r.getLong(1);
      long inBlocks = r.getLong(2);
      long dropped = r.getLong(3);
      stats.put(r.getBoolean(0), new Manifest.Split(0, inBlocks + dropped, blocksWritten, inBlocks, dropped));
    }
    return stats;
  }

  private Manifest manifest(
      long read, Map<String, Long> rejectsByReason, RowIndexPlan plan, Map<Boolean, Manifest.Split> stats) {
    long rejected = rejectsByReason.values().stream().mapToLong(Long::longValue).sum();
    Manifest.Rows rows =
        new Manifest.Rows(
            read,
            rejected,
            rejectsByReason,
            read - rejected - plan.selectedRows(),
            plan.selectedRows() - plan.trainRows() - plan.testRows(),
            plan.trainRows(),
            plan.testRows());
    Map<String, Manifest.Split> splits = new TreeMap<>();
    splits.put(Manifest.TRAIN, withRows(stats.get(false), plan.trainRows()));
    splits.put(Manifest.TEST, withRows(stats.get(true), plan.testRows()));
    return new Manifest(
        Manifest.FORMAT_VERSION,
        Version.VERSION,
        Instant.now().toString(),
        new Manifest.Input(inputs.fingerprint(), inputs.totalBytes(), inputs.files()),
        new Manifest.Tokenizer(tokenizer.id(), tokenizer.sha256()),
        schema.cliName(),
        settings,
        rows,
        splits);
  }

  private static Manifest.Split withRows(Manifest.Split stats, long rows) {
    return stats == null
        ? new Manifest.Split(rows, 0, 0, 0, 0)
        : new Manifest.Split(rows, stats.tokens(), stats.blocks(), stats.tokensInBlocks(), stats.tokensDropped());
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
