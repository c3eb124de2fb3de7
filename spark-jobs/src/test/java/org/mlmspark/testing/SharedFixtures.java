package org.mlmspark.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The read-only reference material at {@code ../shared} (fixtures made by the HF stack). Tests that need it
 * skip when it is absent on a developer machine, but fail under {@code CI=true}, where it must be present.
 */
public final class SharedFixtures {
  private SharedFixtures() {}

  /** The repository root, as surefire passes it. */
  public static Path projectRoot() {
    String root = System.getProperty("project.root");
    if (root == null) {
      throw new IllegalStateException("system property project.root is not set (surefire sets it)");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  /** {@code ../shared/relative}, which must exist. */
  public static Path require(String relative) {
    Path path = projectRoot().resolve("../shared").resolve(relative).normalize();
    if (!Files.exists(path)) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("reference material missing under CI: " + path);
      }
      assumeTrue(false, "reference material not present: " + path);
    }
    return path;
  }

  public static Path distilrobertaTokenizer() {
    return require("tokenizers/distilroberta-base");
  }
}
