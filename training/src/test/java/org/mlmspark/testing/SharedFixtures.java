package org.mlmspark.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The read-only reference material in {@code ../shared} (HF fixtures, tokenizers). A test that needs it is skipped
 * when it is absent on a developer machine, and fails under CI ({@code CI=true}), where it must be present.
 */
public final class SharedFixtures {
  private SharedFixtures() {}

  public static Path root() {
    return Path.of(System.getProperty("project.root", ".")).resolve("../shared").normalize();
  }

  /** {@code relative} under ../shared, or the test is skipped (failed under CI) when it is missing. */
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
}
