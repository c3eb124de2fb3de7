package org.mlmspark.storage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.mlmspark.cli.UserError;

/**
 * Checks, before any work, that the S3 endpoint of every {@code s3a://} location answers a TCP connection within
 * {@link #TIMEOUT}. S3A itself retries an unreachable endpoint for minutes without a word (its connection timeout
 * cannot go below 15 s, times its retries); this says at once which endpoint is down.
 */
public final class ObjectStoreProbe {
  public static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final String DEFAULT_ENDPOINT = "s3.amazonaws.com";

  private ObjectStoreProbe() {}

  /** The host and port S3A connects to for a bucket: a proxy, the bucket's or the global endpoint, or AWS. */
  record Endpoint(String host, int port, String described) {}

  /**
   * @param locations paths as given on the command line (others than {@code s3a://} are ignored; null allowed)
   * @throws UserError (exit 2) naming the endpoint, the setting it comes from and the location
   */
  public static void requireReachable(Collection<String> locations, Configuration conf) {
    Set<Endpoint> checked = new LinkedHashSet<>();
    for (String location : locations) {
      if (location == null || !location.toLowerCase(Locale.ROOT).startsWith("s3a://")) {
        continue;
      }
      Endpoint endpoint = endpoint(URI.create(location.replace(" ", "%20")).getHost(), conf);
      if (!checked.add(endpoint)) {
        continue;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) TIMEOUT.toMillis());
      } catch (IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        throw new UserError("cannot reach " + endpoint.described() + " for " + location + " within "
            + TIMEOUT.toSeconds() + " s: " + why);
      }
    }
  }

  static Endpoint endpoint(String bucket, Configuration conf) {
    String proxy = conf.getTrimmed("fs.s3a.proxy.host", "");
    if (!proxy.isEmpty()) {
      int port = conf.getInt("fs.s3a.proxy.port", -1);
      return new Endpoint(proxy, port > 0 ? port : 80, "the S3A proxy " + proxy + ":" + port + " (fs.s3a.proxy.host)");
    }
    String setting = "fs.s3a.bucket." + bucket + ".endpoint";
    String value = bucket == null ? "" : conf.getTrimmed(setting, "");
    if (value.isEmpty()) {
      setting = "fs.s3a.endpoint";
      value = conf.getTrimmed(setting, "");
    }
    boolean ssl = conf.getBoolean("fs.s3a.connection.ssl.enabled", true);
    if (value.isEmpty()) {
      return new Endpoint(DEFAULT_ENDPOINT, 443, "the S3 endpoint " + DEFAULT_ENDPOINT + " (no fs.s3a.endpoint set)");
    }
    URI uri = URI.create(value.contains("://") ? value : (ssl ? "https://" : "http://") + value);
    int port = uri.getPort() > 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    return new Endpoint(Objects.requireNonNull(uri.getHost(), value), port,
        "the S3 endpoint " + value + " (" + setting + ")");
  }
}
