package org.mlmspark.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A stand-in Spark installation built from the test classpath (there is no Spark distribution here, only Maven
 * jars): {@code jars/} holds symlinks to every classpath jar, which is where a standalone Worker and
 * {@code local-cluster} take executor classpaths from, and an empty {@code launcher/target/scala-2.13/} tells
 * Spark's launcher the Scala version when {@code SPARK_SCALA_VERSION} is not set.
 */
public final class SparkHome {
  private SparkHome() {}

  public static Path create(Path dir) throws IOException {
    Path jars = Files.createDirectories(dir.resolve("jars"));
    Files.createDirectories(dir.resolve("launcher/target/scala-2.13"));
    Set<String> names = new HashSet<>();
    for (Path jar : TestClasspath.jars()) {
      String name = jar.getFileName().toString();
      if (!names.add(name)) {
        name = names.size() + "-" + name; // same file name from two groups
      }
      Files.createSymbolicLink(jars.resolve(name), jar.toAbsolutePath());
    }
    return dir;
  }

  /** Removes the jar links (JUnit's temporary-directory clean-up warns about each link it finds). */
  public static void removeLinks(Path dir) throws IOException {
    Path jars = dir.resolve("jars");
    if (Files.isDirectory(jars)) {
      try (Stream<Path> links = Files.list(jars)) {
        for (Path link : links.toList()) {
          Files.delete(link);
        }
      }
    }
  }
}
