package org.mlmspark.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The read-only reference material at {@code ../shared} next to the repository. Missing material skips a test
 * on a developer machine but fails it on CI ({@code CI=true}), where it must be present.
 */
public final class SharedData {
  private SharedData() {}

  public static Path root() {
    String projectRoot = System.getProperty("project.root", ".");
    return Path.of(projectRoot).toAbsolutePath().normalize().resolveSibling("shared");
  }

  /** A file or directory under ../shared; skips (or on CI fails) the calling test when it is missing. */
  public static Path require(String relative) {
    Path path = root().resolve(relative);
    if (!Files.exists(path)) {
      String message = "reference material missing: " + path;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return path;
  }

  public static Path distilrobertaTokenizer() {
    return require("tokenizers/distilroberta-base");
  }
}
