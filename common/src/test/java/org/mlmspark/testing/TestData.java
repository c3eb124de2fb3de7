package org.mlmspark.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.mlmspark.tokenizer.BundledTokenizer;

/**
 * The repository's test data under {@code testdata/} (reference files made by the guide's own Python stack; see
 * {@code testdata/README.md}). A missing file is a failure, never a skip: a fresh clone runs every test.
 */
public final class TestData {
  private TestData() {}

  /** The repository root, as surefire passes it. */
  public static Path projectRoot() {
    String root = System.getProperty("project.root");
    if (root == null) {
      throw new IllegalStateException("system property project.root is not set (surefire sets it)");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  /** {@code testdata/relative}, which must exist. */
  public static Path require(String relative) {
    Path path = projectRoot().resolve("testdata").resolve(relative).normalize();
    if (!Files.exists(path)) {
      throw new IllegalStateException("test data missing: " + path + " (see testdata/README.md)");
    }
    return path;
  }

  /** The hub's distilroberta-base tokenizer files: the copy bundled in the jar, as a directory. */
  public static Path distilrobertaTokenizer() {
    try {
      return BundledTokenizer.DISTILROBERTA_BASE.directory();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines of a text file, gunzipped when its name ends in {@code .gz}. */
  public static List<String> lines(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return reader.lines().toList();
    }
  }
}
