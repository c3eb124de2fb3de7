package org.mlmspark.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelPresets;
import org.mlmspark.model.WeightInit;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.testing.TestData;

/** Training inputs for tests: preprocessing-shaped Parquet directories and a tiny model, written on the spot. */
public final class TrainData {
  public static final StructType BLOCKS = new StructType()
      .add("input_ids", DataTypes.createArrayType(DataTypes.IntegerType))
      .add("attention_mask", DataTypes.createArrayType(DataTypes.IntegerType));

  private static SparkSession spark;

  private TrainData() {}

  public static synchronized SparkSession spark() {
    if (spark == null || spark.sparkContext().isStopped()) { // stopped by a test that needed another master
      spark = SparkSession.builder().master("local[2]").appName("train-tests")
          .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }
    return spark;
  }

  /** {@link #BLOCKS} with bin/preprocess --word-starts's column. */
  public static final StructType BLOCKS_WITH_WORD_STARTS = BLOCKS
      .add("word_start", DataTypes.createArrayType(DataTypes.IntegerType));

  /** The word starts of a {@link #corpus} block: each 4-token phrase is one word. */
  public static int[] phraseStarts(int[] block) {
    int[] starts = new int[block.length];
    for (int i = 1; i < block.length - 1; i += 4) {
      starts[i] = 1;
    }
    return starts;
  }

  /** {@code dir/train} (and {@code dir/test} unless null) in {@code shards} files each, then the manifest. */
  public static Path write(Path dir, List<int[]> train, List<int[]> test, int shards) throws IOException {
    return write(dir, train, test, shards, BLOCKS);
  }

  /** As {@link #write}, the rows of {@code schema} ({@link #BLOCKS} or {@link #BLOCKS_WITH_WORD_STARTS}). */
  public static Path write(Path dir, List<int[]> train, List<int[]> test, int shards, StructType schema)
      throws IOException {
    writeSplit(dir.resolve("train"), train, shards, schema);
    if (test != null) {
      writeSplit(dir.resolve("test"), test, shards, schema);
    }
    writeManifest(dir, train.size(), test == null ? 0 : test.size());
    return dir;
  }

  /** Rows of the given schema, one block per row (attention mask all ones where the schema has one). */
  public static void writeSplit(Path dir, List<int[]> blocks, int shards, StructType schema) {
    List<Row> rows = new ArrayList<>();
    for (int[] block : blocks) {
      Object ids = Arrays.stream(block).boxed().toList().toArray(new Integer[0]);
      Integer[] ones = new Integer[block.length];
      Arrays.fill(ones, 1);
      Object starts = Arrays.stream(phraseStarts(block)).boxed().toList().toArray(new Integer[0]);
      rows.add(schema.size() == 3 ? RowFactory.create(ids, ones, starts)
          : schema.size() == 2 ? RowFactory.create(ids, ones) : RowFactory.create(ids));
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark().sparkContext());
    spark().createDataFrame(context.parallelize(rows, shards), schema).write().parquet(dir.toString());
  }

  public static void writeManifest(Path dir, int trainBlocks, int testBlocks) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = json.createObjectNode();
    manifest.put("format_version", 1);
    ObjectNode splits = manifest.putObject("splits");
    splits.putObject("train").put("blocks", trainBlocks);
    splits.putObject("test").put("blocks", testBlocks);
    Files.write(dir.resolve("manifest.json"), json.writeValueAsBytes(manifest));
  }

  /**
   * Blocks of a toy language the tiny model can learn quickly: {@code <s>}, then 4-token phrases drawn from a few
   * fixed ones, then {@code </s>}.
   */
  public static List<int[]> corpus(int blocks, int length, long seed) {
    int[][] phrases = {{20, 21, 22, 23}, {30, 31, 32, 33}, {40, 41, 42, 43}, {50, 51, 52, 53}};
    SplittableRandom random = new SplittableRandom(seed);
    List<int[]> corpus = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      int[] block = new int[length];
      block[0] = 0;
      for (int i = 1; i < length - 1; i += 4) {
        int[] phrase = phrases[random.nextInt(phrases.length)];
        System.arraycopy(phrase, 0, block, i, Math.min(4, length - 1 - i));
      }
      block[length - 1] = 2;
      corpus.add(block);
    }
    return corpus;
  }

  /** The "tiny" preset (2 layers, hidden 32, RoBERTa vocabulary) with HF's init and the distilroberta tokenizer. */
  public static Path tinyModel(Path dir) throws IOException {
    Path tokenizer = TestData.distilrobertaTokenizer();
    Configuration conf = new Configuration();
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel model = MaskedLmModel.create(ModelPresets.get("tiny"), manager);
      WeightInit.apply(model, 7);
      Checkpoints.save(model, ModelDirectory.of(new org.apache.hadoop.fs.Path(tokenizer.toUri()), conf),
          new org.apache.hadoop.fs.Path(dir.toUri()), conf);
    }
    return dir;
  }
}
