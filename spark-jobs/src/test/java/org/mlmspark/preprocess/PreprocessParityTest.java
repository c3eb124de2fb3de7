package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.preprocess.cli.PreprocessCommand;
import org.mlmspark.testing.CommandRun;
import org.mlmspark.testing.TestData;
import org.mlmspark.testing.TestSpark;
import org.mlmspark.tokenizer.BundledTokenizer;
import org.mlmspark.tokenizer.TokenizerFingerprint;

/** The guide's own preprocessing output (blocks_128.jsonl.gz, made with the hub tokenizer) reproduced exactly. */
class PreprocessParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static Path fixture;
  private static List<List<Integer>> expected;
  private static JsonNode summary;

  @TempDir Path tmp;

  @BeforeAll
  static void load() throws IOException {
    spark = TestSpark.session();
    fixture = TestData.require("fixtures/hf/preprocess/eli5_askscience_synthetic.jsonl.gz");
    expected = new ArrayList<>();
    for (String line : TestData.lines(fixture.resolveSibling("blocks_128.jsonl.gz"))) {
      List<Integer> block = new ArrayList<>();
      JSON.readTree(line).forEach(id -> block.add(id.intValue()));
      expected.add(block);
    }
    summary = JSON.readTree(fixture.resolveSibling("summary.json").toFile());
  }

  /** The fixture cut into three files whose path order is the row order. */
  private Path fixtureInThreeFiles() throws IOException {
    Path inputDir = Files.createDirectories(tmp.resolve("in"));
    List<String> lines = TestData.lines(fixture);
    int[] cuts = {0, 600, 1200, lines.size()};
    for (int f = 0; f < 3; f++) {
      try (BufferedWriter w = Files.newBufferedWriter(inputDir.resolve("part-" + f + ".jsonl"))) {
        for (String line : lines.subList(cuts[f], cuts[f + 1])) {
          w.write(line);
          w.newLine();
        }
      }
    }
    return inputDir;
  }

  /** The job turns adaptive execution off for its own queries only, and keeps a session's own choice. */
  @Test
  void adaptiveExecutionIsOffOnlyWhileTheJobRunsUnlessTheSessionChose() {
    String adaptive = "spark.sql.adaptive.enabled";
    assertFalse(spark.conf().contains(adaptive));
    assertEquals(0, preprocess(tmp.resolve("default"), "--input", fixture.toString(), "--limit", "100").exitCode());
    assertFalse(spark.conf().contains(adaptive), "unset again after the run");
    spark.conf().set(adaptive, "true");
    try {
      assertEquals(0, preprocess(tmp.resolve("chosen"), "--input", fixture.toString(), "--limit", "100").exitCode());
      assertEquals("true", spark.conf().get(adaptive));
    } finally {
      spark.conf().unset(adaptive);
    }
  }

  /** --group-by partition: one group_texts per Spark input partition; same tokens, only full blocks. */
  @Test
  void groupingByPartitionKeepsAllTokensAndDropsOnlyEachPartitionsRemainder() throws IOException {
    Path inputDir = fixtureInThreeFiles();
    Path output = tmp.resolve("by-partition");
    String previous = spark.conf().get("spark.sql.files.maxPartitionBytes");
    spark.conf().set("spark.sql.files.maxPartitionBytes", "1m");
    try {
      int partitions = spark.read().text(inputDir.toString()).rdd().getNumPartitions();
      assertEquals(0, preprocess(output, "--input", inputDir.toString(), "--group-by", "partition").exitCode());
      PreprocessOutput result = new PreprocessOutput(spark, new org.apache.hadoop.fs.Path(output.toUri()));
      Manifest.Split train = result.manifest().splits().get(Manifest.TRAIN);
      assertEquals(summary.get("tokens").asLong(), train.tokens());
      assertEquals(train.tokens() - train.tokensDropped(), train.tokensInBlocks());
      assertEquals(train.tokensInBlocks(), 128L * train.blocks());
      assertTrue(train.tokensDropped() < 128L * partitions, train.tokensDropped() + " dropped");
      List<List<Integer>> blocks = result.blocks(Manifest.TRAIN);
      assertEquals(train.blocks(), blocks.size());
      assertTrue(blocks.stream().allMatch(b -> b.size() == 128));
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", previous);
    }
  }

  /** By hub id, as a user would: the suite runs offline with an empty HF cache, so the bundled copy serves. */
  private static CommandRun preprocess(Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "--output", output.toString(),
        "--tokenizer", "distilroberta-base",
        "--test-size", "0"));
    args.addAll(List.of(extra));
    return CommandRun.of(new PreprocessCommand(), args.toArray(String[]::new));
  }

  private static Map<List<Integer>, Integer> multiset(List<List<Integer>> blocks) {
    Map<List<Integer>, Integer> counts = new HashMap<>();
    blocks.forEach(b -> counts.merge(b, 1, Integer::sum));
    return counts;
  }

  @Test
  void blocksEqualTheGuidesBlocks() throws IOException {
    Path output = tmp.resolve("out");
    assertEquals(0, preprocess(output, "--input", fixture.toString()).exitCode());

    PreprocessOutput result = new PreprocessOutput(spark, new org.apache.hadoop.fs.Path(output.toUri()));
    List<List<Integer>> train = result.blocks(Manifest.TRAIN);
    assertEquals(expected.size(), train.size());
    assertEquals(multiset(expected), multiset(train));
    assertEquals(expected, train, "shards keep the guide's block order");
    assertEquals(List.of(), result.blocks(Manifest.TEST));

    Manifest manifest = result.manifest();
    Manifest.Split split = manifest.splits().get(Manifest.TRAIN);
    assertEquals(summary.get("rows").asLong(), split.rows());
    assertEquals(summary.get("tokens").asLong(), split.tokens());
    assertEquals(summary.get("blocks").asLong(), split.blocks());
    assertEquals(summary.get("tokens_in_blocks").asLong(), split.tokensInBlocks());
    assertEquals(split.tokens() - split.tokensInBlocks(), split.tokensDropped());
    assertEquals(1500, manifest.rows().read());
    assertEquals(new Manifest.Tokenizer("distilroberta-base", TokenizerFingerprint.of(BundledTokenizer.DISTILROBERTA_BASE
        .json()), "bundled copy, hub unreachable"), manifest.tokenizer());
  }

  /**
   * With --word-starts the blocks are the same, and each carries its word starts: none on special tokens, one
   * after each, most tokens of this English text starting a word and many words of several tokens. (That the flags
   * are transformers' words is WordStartsTest's; that they are cut with their tokens, BlockGrouperTest's.)
   */
  @Test
  void wordStartsComeWithTheSameBlocks() throws IOException {
    Path output = tmp.resolve("out");
    assertEquals(0, preprocess(output, "--input", fixture.toString(), "--word-starts").exitCode());
    PreprocessOutput result = new PreprocessOutput(spark, new org.apache.hadoop.fs.Path(output.toUri()));
    List<List<Integer>> train = result.blocks(Manifest.TRAIN);
    assertEquals(expected, train);
    List<List<Integer>> starts = result.wordStarts(Manifest.TRAIN);
    long tokens = 0;
    long wordStarts = 0;
    for (int b = 0; b < train.size(); b++) {
      List<Integer> ids = train.get(b);
      for (int i = 0; i < ids.size(); i++) {
        int flag = starts.get(b).get(i);
        boolean special = ids.get(i) == 0 || ids.get(i) == 2;
        if (special) {
          assertEquals(0, flag, "block " + b + " position " + i);
        } else {
          tokens++;
          wordStarts += flag;
          if (i > 0 && (ids.get(i - 1) == 0 || ids.get(i - 1) == 2)) {
            assertEquals(1, flag, "after a special token, block " + b + " position " + i);
          }
        }
      }
    }
    double share = (double) wordStarts / tokens;
    assertTrue(share > 0.6 && share < 0.95, "share of tokens starting a word: " + share);
    assertTrue(result.manifest().settings().wordStarts());
  }

  /**
   * Input order survives files read in parallel and split into several partitions: the fixture cut into three
   * files (named so path order is row order) and read in 1 MB splits gives the same blocks in the same order;
   * a rerun into the same output replaces it with identical shards.
   */
  @Test
  void manyFilesAndSplitsKeepInputOrderAndRerunsAreIdentical() throws IOException {
    Path inputDir = fixtureInThreeFiles();
    Path output = tmp.resolve("out");
    String previous = spark.conf().get("spark.sql.files.maxPartitionBytes");
    spark.conf().set("spark.sql.files.maxPartitionBytes", "1m");
    try {
      assertEquals(0, preprocess(output, "--input", inputDir + "/*.jsonl", "--shards", "2").exitCode());
      PreprocessOutput result = new PreprocessOutput(spark, new org.apache.hadoop.fs.Path(output.toUri()));
      assertEquals(2, result.shards(Manifest.TRAIN).size()); // one per batch here
      List<List<Integer>> first = result.blocks(Manifest.TRAIN);
      assertEquals(expected, first);

      List<List<List<Integer>>> firstByShard = result.blocksByShard(Manifest.TRAIN);
      assertEquals(0, preprocess(output, "--input", inputDir + "/*.jsonl", "--shards", "2").exitCode());
      assertEquals(firstByShard, result.blocksByShard(Manifest.TRAIN));
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", previous);
    }
  }
}
