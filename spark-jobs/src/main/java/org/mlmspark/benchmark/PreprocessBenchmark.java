package org.mlmspark.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.UserError;
import org.mlmspark.preprocess.Manifest;
import org.mlmspark.tokenizer.ResolvedTokenizer;
import org.mlmspark.tokenizer.TokenIdEncoder;
import org.mlmspark.tokenizer.TokenizerResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/benchmark-preprocess}: generates N ELI5-shaped rows, runs {@code preprocess} on them end to end in
 * a fresh JVM (JVM and Spark start-up included), and, in the same run, the ceiling: the encoder the job uses
 * (for byte-level BPE tokenizers the Java one) on the same texts in a plain loop on all cores, no Spark. Prints
 * tokens/s of both, their ratio and the job's peak memory, and as the baseline HF's native tokenizer on the same
 * texts.
 */
@Command(name = "benchmark-preprocess", mixinStandardHelpOptions = true,
    description = "Times bin/preprocess end to end against a plain tokenizer loop on the same texts.")
public final class PreprocessBenchmark implements Callable<Integer> {
  private static final int ENCODE_BATCH = 256;
  private static final int WARM_UP_ROWS = 200;

  @Option(names = "--rows", defaultValue = "10000", description = "Rows to generate. Default: ${DEFAULT-VALUE}.")
  int rows;

  @Option(names = "--tokenizer", defaultValue = "distilroberta-base", paramLabel = "ID|DIR|FILE",
      description = "As for preprocess. Default: ${DEFAULT-VALUE}.")
  String tokenizer;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where input and output go. Default: a temporary directory.")
  Path workDir;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated rows. Default: ${DEFAULT-VALUE}.")
  long seed;

  public static void main(String[] args) {
    System.exit(Cli.run(new PreprocessBenchmark(), args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("benchmark-preprocess");
    Path input = dir.resolve("eli5-" + rows + ".jsonl");
    List<String> texts = new ArrayList<>(rows);
    SyntheticEli5.write(input, rows, seed, texts::add);
    System.out.printf("rows                 %,d (%,d bytes) in %s%n", rows, Files.size(input), input);

    // Untimed: a build's first run of bin/preprocess records its class-data archive (bin/lib/launch.sh).
    Path warmUpInput = dir.resolve("warm-up.jsonl");
    SyntheticEli5.write(warmUpInput, WARM_UP_ROWS, seed + 1, text -> {});
    runJob(warmUpInput, dir.resolve("warm-up-out"), dir.resolve("warm-up.log"));

    Path output = dir.resolve("out");
    Path log = dir.resolve("preprocess.log");
    JobRun job = runJob(input, output, log);
    Manifest manifest;
    try (InputStream in = Files.newInputStream(output.resolve("manifest.json"))) {
      manifest = Manifest.read(in);
    }
    long tokens = manifest.splits().values().stream().mapToLong(Manifest.Split::tokens).sum();
    double jobRate = tokens / job.seconds();
    System.out.printf("end to end           %.1f s, %,d tokens, %,.0f tokens/s (JVM + Spark start-up included; log: %s)%n",
        job.seconds(), tokens, jobRate, log);
    System.out.printf("job peak memory      %,d MiB resident%n", job.peakRssKiB() / 1024);

    ResolvedTokenizer resolved = TokenizerResolver.resolve(tokenizer, new Configuration());
    TokenIdEncoder jobEncoder = TokenIdEncoder.shared(resolved.sha256(), resolved.json());
    Ceiling ceiling = ceiling(jobEncoder, texts);
    System.out.printf("ceiling              %.1f s, %,d tokens, %,.0f tokens/s (%d threads, the job's encoder: %s)%n",
        ceiling.seconds(), ceiling.tokens(), ceiling.rate(), ceiling.threads(), jobEncoder.description());
    System.out.printf("ratio                %.2f of the ceiling%n", jobRate / ceiling.rate());
    if (jobEncoder.engine() != TokenIdEncoder.Engine.NATIVE) {
      try (TokenIdEncoder nativeEncoder = TokenIdEncoder.load(resolved.json(), TokenIdEncoder.Engine.NATIVE)) {
        Ceiling baseline = ceiling(nativeEncoder, texts);
        System.out.printf("native baseline      %.1f s, %,d tokens, %,.0f tokens/s (%d threads, HF's tokenizer via DJL, ids only)%n",
            baseline.seconds(), baseline.tokens(), baseline.rate(), baseline.threads());
        System.out.printf("encoder speed-up     %.2fx (job's encoder / native, same texts, same run)%n",
            ceiling.rate() / baseline.rate());
      }
    }
    return 0;
  }

  private record JobRun(double seconds, long peakRssKiB) {}

  private record Ceiling(double seconds, long tokens, int threads) {
    double rate() {
      return tokens / seconds;
    }
  }

  /**
   * bin/preprocess as a user runs it, in its own JVM; peak resident memory from /proc while it runs (the
   * launcher's process or its child JVM, whichever is larger).
   */
  private JobRun runJob(Path input, Path output, Path log) throws IOException, InterruptedException {
    String home = System.getProperty("mlm.home");
    if (home == null) {
      throw new UserError("run this through bin/benchmark-preprocess (system property mlm.home is not set)");
    }
    List<String> command = List.of(Path.of(home, "bin", "preprocess").toString(),
        "--input", input.toString(), "--output", output.toString(), "--tokenizer", tokenizer);
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long peak = 0;
    while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, highWaterMarkKiB(process.toHandle()));
      for (ProcessHandle child : process.descendants().toList()) {
        peak = Math.max(peak, highWaterMarkKiB(child));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (process.exitValue() != 0) {
      throw new UserError("preprocess failed (exit " + process.exitValue() + "); see " + log, UserError.FAILED, null);
    }
    return new JobRun(seconds, peak);
  }

  private static long highWaterMarkKiB(ProcessHandle process) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException gone) {
      // The process ended between two looks.
    }
    return 0;
  }

  /** The encoder on one thread per core, each taking every n-th batch of the same texts. */
  private static Ceiling ceiling(TokenIdEncoder encoder, List<String> texts) throws Exception {
    int threads = Runtime.getRuntime().availableProcessors();
    encoder.encode(texts.subList(0, Math.min(ENCODE_BATCH, texts.size())).toArray(String[]::new)); // warm up
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    List<Future<Long>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      parts.add(pool.submit(() -> {
        long tokens = 0;
        for (int b = first * ENCODE_BATCH; b < texts.size(); b += threads * ENCODE_BATCH) {
          for (int[] ids : encoder.encode(texts.subList(b, Math.min(b + ENCODE_BATCH, texts.size())).toArray(String[]::new))) {
            tokens += ids.length;
          }
        }
        return tokens;
      }));
    }
    long tokens = 0;
    for (Future<Long> part : parts) {
      tokens += part.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return new Ceiling(seconds, tokens, threads);
  }
}
