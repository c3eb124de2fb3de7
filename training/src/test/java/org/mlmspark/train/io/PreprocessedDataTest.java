package org.mlmspark.train.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.train.TrainData;
import org.mlmspark.train.data.BlockDataset;

class PreprocessedDataTest {
  private static final PreprocessedData.Limits LIMITS = new PreprocessedData.Limits(50265, 512);

  @TempDir Path dir;

  @Test
  void blocksComeInShardNameOrderThenRowOrder() throws Exception {
    // Growing block lengths make the last shard the largest: Spark's reader packs the biggest file first, so
    // only an explicit (file name, row index) order gives the input order back.
    List<int[]> train = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int[] block = new int[4 + 2 * i];
      for (int j = 0; j < block.length; j++) {
        block[j] = 100 * i + j;
      }
      train.add(block);
    }
    List<int[]> test = TrainData.corpus(5, 16, 1);
    TrainData.write(dir, train, test, 3);

    PreprocessedData data = PreprocessedData.load(TrainData.spark(), dir.toString(), LIMITS);
    assertBlocks(train, data.train());
    assertBlocks(test, data.test());
  }

  @Test
  void noTestSplitMeansNoEvaluationData() throws Exception {
    TrainData.write(dir, TrainData.corpus(6, 16, 1), null, 1);
    assertNull(PreprocessedData.load(TrainData.spark(), dir.toString(), LIMITS).test());
  }

  @Test
  void anUnfinishedPreprocessingRunIsRefused() throws Exception {
    TrainData.write(dir, TrainData.corpus(6, 16, 1), null, 1);
    Files.delete(dir.resolve("manifest.json"));
    String message = failure();
    assertTrue(message.contains("no manifest.json") && message.contains("did not finish"), message);
  }

  @Test
  void wrongColumnsAreNamed() throws Exception {
    StructType other = new StructType().add("ids", DataTypes.createArrayType(DataTypes.IntegerType));
    TrainData.writeSplit(dir.resolve("train"), TrainData.corpus(4, 16, 1), 1, other);
    TrainData.writeManifest(dir, 4, 0);
    String message = failure();
    assertTrue(message.contains("no column input_ids") && message.contains("columns: ids"), message);
  }

  @Test
  void idsOutsideTheVocabularyAreCountedWithTheirPlace() throws Exception {
    List<int[]> train = TrainData.corpus(10, 16, 1);
    train.get(3)[5] = 50265;
    train.get(7)[0] = -4;
    TrainData.write(dir, train, null, 1);
    String message = failure();
    assertTrue(message.contains("2 of 10 blocks cannot be trained on"), message);
    assertTrue(message.contains("2 × token id outside the model's vocabulary [0, 50265)"), message);
    assertTrue(message.contains("row 3 (id 50265)") && message.contains("row 7 (id -4)"), message);
  }

  @Test
  void blocksLongerThanThePositionTableAreRefused() throws Exception {
    List<int[]> train = TrainData.corpus(3, 16, 1);
    train.add(new int[513]);
    TrainData.write(dir, train, null, 1);
    String message = failure();
    assertTrue(message.contains("block of 513 tokens, longer than the model's 512 positions"), message);
  }

  @Test
  void shardsThatDisagreeWithTheManifestAreRefused() throws Exception {
    TrainData.write(dir, TrainData.corpus(6, 16, 1), null, 1);
    TrainData.writeManifest(dir, 7, 0);
    String message = failure();
    assertTrue(message.contains("holds 6 blocks but manifest.json lists 7"), message);
  }

  private String failure() {
    return assertThrows(InvalidDataException.class,
        () -> PreprocessedData.load(TrainData.spark(), dir.toString(), LIMITS)).getMessage();
  }

  private static void assertBlocks(List<int[]> expected, BlockDataset actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.block(i), "block " + i);
    }
  }
}
