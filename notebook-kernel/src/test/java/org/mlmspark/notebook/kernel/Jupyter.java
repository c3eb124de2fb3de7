package org.mlmspark.notebook.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Jupyter installation the tests drive: {@code jupyter} on PATH and the Python it runs on, which must have
 * jupyter_client, nbclient and nbconvert. Missing is a failure, never a skip: the test command installs it.
 */
final class Jupyter {
  static final String INSTALL = "Jupyter is missing: run tools/install-jupyter (the README's test command does)";

  private Jupyter() {}

  /** The interpreter named on the first line of the {@code jupyter} script, as a command. */
  static List<String> python() throws IOException, InterruptedException {
    Path jupyter = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .map(dir -> Path.of(dir, "jupyter")).filter(Files::isExecutable).findFirst().orElse(null);
    if (jupyter == null) {
      fail(INSTALL + " (no jupyter on PATH)");
    }
    String first = Files.readAllLines(jupyter).get(0);
    if (!first.startsWith("#!")) {
      fail(INSTALL + " (" + jupyter + " is not a Python script)");
    }
    List<String> command = new ArrayList<>(List.of(first.substring(2).trim().split("\\s+")));
    if (command.get(0).endsWith("/env")) {
      command.remove(0);
    }
    List<String> check = new ArrayList<>(command);
    check.addAll(List.of("-c", "import jupyter_client, nbclient, nbconvert"));
    Process probe = new ProcessBuilder(check).redirectErrorStream(true).start();
    String said = new String(probe.getInputStream().readAllBytes());
    if (!probe.waitFor(60, TimeUnit.SECONDS) || probe.exitValue() != 0) {
      fail(INSTALL + " (" + String.join(" ", command) + ": " + said.strip() + ")");
    }
    return command;
  }
}
