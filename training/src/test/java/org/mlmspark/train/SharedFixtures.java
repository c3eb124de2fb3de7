package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates reference material in {@code ../shared} (never copied into the repository). Missing material skips
 * a test on a developer machine but fails it in CI ({@code CI=true}), so CI cannot pass by skipping.
 */
public final class SharedFixtures {
  private SharedFixtures() {}

  /** {@code ../shared/<relative>} from the project root, which must exist. */
  public static Path require(String relative) {
    Path path = Path.of(System.getProperty("project.root", ".")).resolve("../shared").resolve(relative).normalize();
    if (!Files.exists(path)) {
      String message = "shared reference material missing: " + path;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      assumeTrue(false, message);
    }
    return path;
  }
}
