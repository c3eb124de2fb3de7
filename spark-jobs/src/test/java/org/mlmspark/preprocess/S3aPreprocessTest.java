package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.preprocess.cli.PreprocessCommand;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.testing.CommandRun;
import org.mlmspark.testing.ExpectedTokens;
import org.mlmspark.testing.S3ProxyServer;
import org.mlmspark.testing.TestData;
import org.mlmspark.testing.TestSpark;

/** Input, tokenizer and output on s3a:// against a real S3-compatible server; credentials stay secret. */
class S3aPreprocessTest {
  @TempDir static Path tmp;
  private static S3ProxyServer s3;
  private static SparkSession spark;
  private static String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3ProxyServer.start(tmp);
    bucket = "mlm-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    s3.createBucket(bucket);
    spark = TestSpark.session();
    s3.applyTo(spark.sparkContext().hadoopConfiguration());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  private static org.apache.hadoop.fs.Path s3a(String key) {
    return new org.apache.hadoop.fs.Path("s3a://" + bucket + "/" + key);
  }

  @Test
  void preprocessesFromAndToS3aWithoutLeakingCredentials() throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FileSystem fs = s3a("").getFileSystem(conf);
    Path sample = TestData.require("data/eli5_category_sample");
    try (Stream<Path> files = Files.list(sample)) {
      for (Path f : files.toList()) {
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()), s3a("in/" + f.getFileName()));
      }
    }
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(TestData.distilrobertaTokenizer().resolve("tokenizer.json").toUri()),
        s3a("tokenizers/roberta/tokenizer.json"));

    String[] args = {"--input", s3a("in/").toString(), "--output", s3a("out").toString(),
        "--tokenizer", s3a("tokenizers/roberta").toString(), "--shards", "2"};
    CommandRun first = CommandRun.of(new PreprocessCommand(), args);
    assertEquals(0, first.exitCode(), first.stderr());
    // A rerun replaces the output on the object store (delete, copy into place, manifest last).
    CommandRun second = CommandRun.of(new PreprocessCommand(), args);
    assertEquals(0, second.exitCode(), second.stderr());

    PreprocessOutput output = new PreprocessOutput(spark, s3a("out"));
    Manifest manifest = output.manifest();
    assertEquals(20, manifest.rows().read());
    Manifest.Split train = manifest.splits().get(Manifest.TRAIN);
    Manifest.Split test = manifest.splits().get(Manifest.TEST);
    assertEquals(train.blocks(), output.blocks(Manifest.TRAIN).size());
    assertEquals(test.blocks(), output.blocks(Manifest.TEST).size());
    assertEquals(train.blocks(), spark.read().parquet(s3a("out/train").toString()).count());
    assertEquals(ExpectedTokens.of(sampleRecords(sample)), train.tokens() + test.tokens());
    // No staged data left behind (s3proxy's file backend may still list an emptied directory).
    var files = fs.listFiles(s3a(""), true);
    while (files.hasNext()) {
      String name = files.next().getPath().toString();
      assertFalse(name.contains("/.out.staging") || name.contains("/.out.lock"), name);
    }

    String manifestText;
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(s3a("out"), AtomicOutput.MANIFEST))) {
      manifestText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String secret : new String[] {s3.secretKey(), s3.accessKey()}) {
      assertFalse(first.stderr().contains(secret), "credential in the log");
      assertFalse(second.stderr().contains(secret), "credential in the log");
      assertFalse(manifestText.contains(secret), "credential in the manifest");
    }
    assertTrue(first.stderr().contains("Wrote s3a://" + bucket + "/out"), first.stderr());
  }

  private static java.util.List<String> sampleRecords(Path sample) throws IOException {
    try (Stream<Path> files = Files.list(sample)) {
      java.util.List<String> records = new java.util.ArrayList<>();
      for (Path f : files.sorted().toList()) {
        records.addAll(Files.readAllLines(f));
      }
      return records;
    }
  }
}
