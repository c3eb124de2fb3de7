package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.storage.AtomicOutput;

/** Reads a preprocess output back the way training will: manifest, then shards in name order. */
record PreprocessOutput(SparkSession spark, Path dir) {

  Manifest manifest() throws IOException {
    Path path = new Path(dir, AtomicOutput.MANIFEST);
    try (InputStream in = fs().open(path)) {
      return Manifest.read(in);
    }
  }

  List<Path> shards(String split) throws IOException {
    return Stream.of(fs().listStatus(new Path(dir, split)))
        .map(FileStatus::getPath)
        .filter(p -> p.getName().endsWith(".parquet"))
        .sorted()
        .toList();
  }

  /** Every block of a split, shard after shard, rows in file order. */
  List<List<Integer>> blocks(String split) throws IOException {
    return blocksByShard(split).stream().flatMap(List::stream).toList();
  }

  /** Each shard's blocks in file order; checks attention_mask is all ones. */
  List<List<List<Integer>>> blocksByShard(String split) throws IOException {
    List<List<List<Integer>>> shards = new ArrayList<>();
    for (Path shard : shards(split)) {
      List<List<Integer>> blocks = new ArrayList<>();
      for (Row row : spark.read().parquet(shard.toString()).collectAsList()) {
        List<Integer> ids = row.getList(row.fieldIndex(PreprocessJob.INPUT_IDS));
        List<Integer> mask = row.getList(row.fieldIndex(PreprocessJob.ATTENTION_MASK));
        assertEquals(ids.size(), mask.size());
        assertEquals(ids.size(), mask.stream().filter(m -> m == 1).count());
        blocks.add(List.copyOf(ids));
      }
      shards.add(blocks);
    }
    return shards;
  }

  /** Each block's word_start column (bin/preprocess --word-starts), in the order of {@link #blocks}. */
  List<List<Integer>> wordStarts(String split) throws IOException {
    List<List<Integer>> flags = new ArrayList<>();
    for (Path shard : shards(split)) {
      for (Row row : spark.read().parquet(shard.toString()).collectAsList()) {
        List<Integer> ids = row.getList(row.fieldIndex(PreprocessJob.INPUT_IDS));
        List<Integer> starts = row.getList(row.fieldIndex(PreprocessJob.WORD_START));
        assertEquals(ids.size(), starts.size());
        flags.add(List.copyOf(starts));
      }
    }
    return flags;
  }

  private FileSystem fs() throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    return dir.getFileSystem(conf);
  }
}
