package org.mlmspark.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.cli.Cli;
import org.mlmspark.inference.cli.FillMaskCommand;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.blocks.NamedParameter;
import org.mlmspark.model.io.CheckpointMismatchException;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.testing.S3ProxyServer;
import org.mlmspark.testing.TestData;
import org.mlmspark.testing.TestSpark;

/** A model saved to and loaded from s3a://, and the batch job with model, input and output all on s3a://. */
class S3aFillMaskTest {
  @TempDir static Path tmp;
  private static S3ProxyServer s3;
  private static SparkSession spark;
  private static String bucket;
  private static Configuration conf;
  private static Path fixtureModel;

  @BeforeAll
  static void startServer() throws Exception {
    fixtureModel = TestData.require("fixtures/hf/tiny-roberta/model");
    s3 = S3ProxyServer.start(tmp);
    bucket = "fm-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    s3.createBucket(bucket);
    spark = TestSpark.session();
    conf = spark.sparkContext().hadoopConfiguration();
    s3.applyTo(conf);
    // The model both tests use, written the way users publish one: Checkpoints.save straight to s3a://.
    try (NDManager manager = NDManager.newBaseManager()) {
      Checkpoints.save(Checkpoints.load(local(fixtureModel), manager).model(), local(fixtureModel),
          s3a("models/tiny"), conf);
    }
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

  private static ModelDirectory s3aModel() throws IOException {
    return ModelDirectory.resolve(s3a("models/tiny").toString(), conf);
  }

  private static ModelDirectory local(Path dir) throws IOException {
    return ModelDirectory.of(new org.apache.hadoop.fs.Path(dir.toUri()), conf);
  }

  @Test
  void aModelSavedToS3aLoadsBackBitIdentical() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel original = Checkpoints.load(local(fixtureModel), manager).model();
      Checkpoints.Loaded reloaded =
          Checkpoints.load(ModelDirectory.resolve(s3a("models/tiny").toString(), conf), manager);
      assertEquals(List.of(), reloaded.report().unused());
      Map<String, NamedParameter> byName = reloaded.model().namedParameters().stream()
          .collect(Collectors.toMap(NamedParameter::name, Function.identity()));
      assertEquals(original.namedParameters().size(), byName.size());
      for (NamedParameter p : original.namedParameters()) {
        float[] want = p.parameter().getArray().toFloatArray();
        float[] got = byName.get(p.name()).parameter().getArray().toFloatArray();
        assertArrayEquals(bits(want), bits(got), p.name());
      }
    }
  }

  @Test
  void onS3aOnlyPlainFilesInsideTheDirectoryAreRead() throws IOException {
    FileSystem fs = s3a("").getFileSystem(conf);
    org.apache.hadoop.fs.Path dir = s3a("models/hostile");
    fs.create(new org.apache.hadoop.fs.Path(dir, "config.json/part")).close(); // a prefix where a file should be
    try (var out = fs.create(new org.apache.hadoop.fs.Path(dir, Checkpoints.WEIGHTS_INDEX))) {
      out.write("{\"weight_map\":{\"w\":\"../tiny/model.safetensors\"}}".getBytes(StandardCharsets.UTF_8));
    }
    ModelDirectory model = ModelDirectory.of(dir, conf);
    IllegalArgumentException notAFile =
        assertThrows(IllegalArgumentException.class, () -> Checkpoints.readConfig(model));
    assertEquals(dir + "/config.json is not a regular file; refused", notAFile.getMessage());
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel network = Checkpoints.load(s3aModel(), manager).model();
      CheckpointMismatchException outside = assertThrows(CheckpointMismatchException.class,
          () -> Checkpoints.loadWeights(network, model, manager));
      assertTrue(outside.getMessage().contains("names the shard \"../tiny/model.safetensors\""),
          outside.getMessage());
    }
  }

  @Test
  void batchJobWithModelInputAndOutputOnS3a() throws IOException {
    FileSystem fs = s3a("").getFileSystem(conf);
    Path input = BatchCase.jsonInput(tmp.resolve("in"));
    for (String file : List.of("a.jsonl", "b.jsonl")) {
      fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(input.resolve(file).toUri()), s3a("in/" + file));
    }
    StringWriter err = new StringWriter();
    int code = Cli.run(new FillMaskCommand(), new PrintWriter(err, true),
        "--model", s3a("models/tiny").toString(), "--input", s3a("in").toString(), "--output",
        s3a("out").toString(), "--top-k", "3", "--batch-size", "4", "--format", "json");
    assertEquals(0, code, err.toString());

    List<JsonNode> rows = BatchCase.results(spark, s3a("out").toString(), "json");
    try (FillMaskModel reference = FillMaskModel.open(local(fixtureModel))) {
      BatchCase.assertPipelineResults(reference.fillMask(), rows, BatchCase.TEXTS.size() + 2);
    }
    var files = fs.listFiles(s3a(""), true);
    while (files.hasNext()) {
      String name = files.next().getPath().toString();
      assertFalse(name.contains("/.out.staging") || name.contains("/.out.lock"), name);
    }
    String manifest;
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(s3a("out"), AtomicOutput.MANIFEST))) {
      manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(s3a("models/tiny").toString(),
        FillMaskManifest.read(new java.io.ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)))
            .model().location());
    for (String secret : List.of(s3.secretKey(), s3.accessKey())) {
      assertFalse(manifest.contains(secret), "credential in the manifest");
      assertFalse(err.toString().contains(secret), "credential in the output");
    }
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
