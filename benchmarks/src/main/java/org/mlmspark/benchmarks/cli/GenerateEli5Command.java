package org.mlmspark.benchmarks.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mlmspark.benchmarks.SyntheticEli5;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/generate-eli5}: a file of {@link SyntheticEli5} rows, e.g. at the size of {@code train_asks}. */
@Command(name = "generate-eli5", mixinStandardHelpOptions = true,
    description = "Writes N synthetic ELI5-shaped rows (HF eli5 schema, JSON lines) for benchmarks and scale runs.")
public final class GenerateEli5Command implements Callable<Integer> {
  @Option(names = "--rows", paramLabel = "N", defaultValue = "131778",
      description = "Rows to write. Default: ${DEFAULT-VALUE} (train_asks).")
  int rows;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "The JSON-lines file to write.")
  Path output;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "Seed of the generated rows. Default: ${DEFAULT-VALUE}.")
  long seed;

  public static void main(String[] args) {
    Cli.exit(new GenerateEli5Command(), args);
  }

  @Override
  public Integer call() throws IOException {
    if (rows < 1) {
      throw new UserError("--rows must be at least 1, got " + rows);
    }
    SyntheticEli5.write(output, rows, seed, text -> {});
    System.out.printf("%,d rows, %,d bytes in %s%n", rows, Files.size(output), output);
    return Cli.OK;
  }
}
