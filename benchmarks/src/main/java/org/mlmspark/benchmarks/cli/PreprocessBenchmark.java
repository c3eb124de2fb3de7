package org.mlmspark.benchmarks.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.mlmspark.benchmarks.Median;
import org.mlmspark.benchmarks.SyntheticEli5;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.UserError;
import org.mlmspark.preprocess.Manifest;
import org.mlmspark.tokenizer.ResolvedTokenizer;
import org.mlmspark.tokenizer.TokenIdEncoder;
import org.mlmspark.tokenizer.TokenizerFiles;
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

  @Option(names = "--python", paramLabel = "PATH",
      description = "a python with datasets and transformers for the guide's own pipeline as the baseline "
          + "(default: $MLM_HF_PYTHON; none: skip)")
  String python = System.getenv("MLM_HF_PYTHON");

  @Option(names = "--runs", defaultValue = "3", paramLabel = "N",
      description = "Timed runs of the job (and of the guide's pipeline); the median counts. Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated rows. Default: ${DEFAULT-VALUE}.")
  long seed;

  public static void main(String[] args) {
    Cli.exit(new PreprocessBenchmark(), args);
  }

  @Override
  public Integer call() throws Exception {
    if (rows < 1 || runs < 1) {
      throw new UserError("--rows and --runs must be at least 1, got " + rows + " and " + runs);
    }
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("benchmark-preprocess");
    Path input = dir.resolve("eli5-" + rows + ".jsonl");
    List<String> texts = new ArrayList<>(rows);
    SyntheticEli5.write(input, rows, seed, texts::add);
    System.out.printf("rows                 %,d (%,d bytes) in %s%n", rows, Files.size(input), input);

    // Untimed: a build's first run of bin/preprocess records its class-data archive (bin/lib/launch.sh).
    Path warmUpInput = dir.resolve("warm-up.jsonl");
    SyntheticEli5.write(warmUpInput, WARM_UP_ROWS, seed + 1, text -> {});
    runJob(warmUpInput, dir.resolve("warm-up-out"), dir.resolve("warm-up.log"));

    ResolvedTokenizer resolved = TokenizerResolver.resolve(tokenizer, new Configuration());
    boolean withGuide = python != null && !python.isBlank();
    List<String> guideCommand = withGuide ? guideCommand(dir, input, resolved) : List.of();
    // Job and guide take turns, so a slow spell of this shared machine does not fall on one side only.
    List<Run> jobRuns = new ArrayList<>();
    List<Run> guideRuns = new ArrayList<>();
    for (int r = 1; r <= runs; r++) {
      jobRuns.add(runJob(input, dir.resolve("out-" + r), dir.resolve("preprocess-" + r + ".log")));
      if (withGuide) {
        guideRuns.add(timed(guideCommand, dir.resolve("guide-" + r + ".log")));
      }
    }
    Manifest manifest;
    try (InputStream in = Files.newInputStream(dir.resolve("out-1").resolve("manifest.json"))) {
      manifest = Manifest.read(in);
    }
    long tokens = manifest.splits().values().stream().mapToLong(Manifest.Split::tokens).sum();
    Run job = Run.median(jobRuns);
    double jobRate = tokens / job.seconds();
    System.out.printf("end to end           %.1f s, %,d tokens, %,.0f tokens/s (JVM + Spark start-up included; %s; logs: %s)%n",
        job.seconds(), tokens, jobRate, Run.describe(jobRuns), dir.resolve("preprocess-N.log"));
    System.out.printf("job peak memory      %,d MiB resident%n", job.peakRssKiB() / 1024);
    if (withGuide) {
      Run guide = Run.median(guideRuns);
      System.out.printf("guide's pipeline     %.1f s, %,.0f tokens/s (datasets + transformers, num_proc=%d, interpreter start-up "
          + "included; %s), %,d MiB peak resident per process%n", guide.seconds(), tokens / guide.seconds(),
          Runtime.getRuntime().availableProcessors(), Run.describe(guideRuns), guide.peakRssKiB() / 1024);
      System.out.printf("speed-up             %.2fx (end to end / guide's pipeline, same rows, same run)%n",
          guide.seconds() / job.seconds());
    } else {
      System.out.println("(guide baseline skipped: pass --python or set MLM_HF_PYTHON)");
    }

    TokenIdEncoder jobEncoder = TokenIdEncoder.shared(resolved.fingerprint(), resolved.json());
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
        System.out.printf("ratio to native      %.2f (end to end / HF's tokenizer alone on all cores)%n", jobRate / baseline.rate());
      }
    }
    return 0;
  }

  private record Run(double seconds, long peakRssKiB) {
    /** The median time, and the largest peak memory of all runs. */
    static Run median(List<Run> runs) {
      return new Run(Median.of(runs.stream().map(Run::seconds).toList()),
          runs.stream().mapToLong(Run::peakRssKiB).max().orElse(0));
    }

    static String describe(List<Run> runs) {
      return runs.size() == 1 ? "1 run"
          : "median of " + runs.size() + " runs: " + runs.stream().map(r -> String.format("%.1f", r.seconds()))
              .collect(Collectors.joining(", ")) + " s";
    }
  }

  private record Ceiling(double seconds, long tokens, int threads) {
    double rate() {
      return tokens / seconds;
    }
  }

  /** bin/preprocess as a user runs it, in its own JVM. */
  private Run runJob(Path input, Path output, Path log) throws IOException, InterruptedException {
    String home = System.getProperty("mlm.home");
    if (home == null) {
      throw new UserError("run this through bin/benchmark-preprocess (system property mlm.home is not set)");
    }
    return timed(List.of(Path.of(home, "bin", "preprocess").toString(),
        "--input", input.toString(), "--output", output.toString(), "--tokenizer", tokenizer), log);
  }

  /** The guide's code (resources/bench/guide_preprocess.py) on the same rows with the same tokenizer.json. */
  private List<String> guideCommand(Path dir, Path input, ResolvedTokenizer resolved) throws IOException {
    Path script = dir.resolve("guide_preprocess.py");
    try (InputStream in = getClass().getResourceAsStream("/bench/guide_preprocess.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path tokenizerJson = Files.write(dir.resolve(TokenizerFiles.TOKENIZER), resolved.json());
    return List.of(python, script.toString(), input.toString(), tokenizerJson.toString(),
        Integer.toString(Runtime.getRuntime().availableProcessors()), Long.toString(seed));
  }

  /**
   * Runs a command to its end; wall time, and the peak resident memory of the largest of its processes
   * (from /proc while it runs).
   */
  private static Run timed(List<String> command, Path log) throws IOException, InterruptedException {
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
      throw new UserError(command.get(0) + " failed (exit " + process.exitValue() + "); see " + log, UserError.FAILED, null);
    }
    return new Run(seconds, peak);
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
