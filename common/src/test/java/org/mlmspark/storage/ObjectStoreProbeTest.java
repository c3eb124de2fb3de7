package org.mlmspark.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.mlmspark.cli.UserError;

class ObjectStoreProbeTest {
  private static Configuration endpoint(String value) {
    Configuration conf = new Configuration(false);
    conf.set("fs.s3a.endpoint", value);
    return conf;
  }

  @Test
  void anEndpointThatRefusesConnectionsIsOneLineNamingItAndTheSetting() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    Configuration conf = endpoint("http://127.0.0.1:" + port);
    UserError e = assertThrows(UserError.class,
        () -> ObjectStoreProbe.requireReachable(List.of("/local/in", "s3a://bucket/in/part.jsonl"), conf));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().startsWith("cannot reach the S3 endpoint http://127.0.0.1:" + port
        + " (fs.s3a.endpoint) for s3a://bucket/in/part.jsonl within 5 s: Connection refused"), e.getMessage());
  }

  @Test
  void aListeningEndpointPassesAndLocalPathsAreNotProbed() throws IOException {
    try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ObjectStoreProbe.requireReachable(
          List.of("s3a://bucket/in", "hdfs://nowhere:1/x", "/tmp/x"), endpoint("127.0.0.1:" + open.getLocalPort()));
    }
  }

  @Test
  void theEndpointComesFromTheBucketsSettingThenTheGlobalOneThenAws() {
    Configuration conf = endpoint("minio.internal:9000");
    conf.set("fs.s3a.bucket.special.endpoint", "http://other.internal");
    assertEquals(new ObjectStoreProbe.Endpoint("other.internal", 80,
        "the S3 endpoint http://other.internal (fs.s3a.bucket.special.endpoint)"),
        ObjectStoreProbe.endpoint("special", conf));
    assertEquals("minio.internal", ObjectStoreProbe.endpoint("plain", conf).host());
    assertEquals(9000, ObjectStoreProbe.endpoint("plain", conf).port());
    Configuration noScheme = endpoint("minio.internal");
    assertEquals(443, ObjectStoreProbe.endpoint("plain", noScheme).port());
    noScheme.setBoolean("fs.s3a.connection.ssl.enabled", false);
    assertEquals(80, ObjectStoreProbe.endpoint("plain", noScheme).port());
    assertEquals(new ObjectStoreProbe.Endpoint("s3.amazonaws.com", 443,
        "the S3 endpoint s3.amazonaws.com (no fs.s3a.endpoint set)"),
        ObjectStoreProbe.endpoint("any", new Configuration(false)));
  }
}
