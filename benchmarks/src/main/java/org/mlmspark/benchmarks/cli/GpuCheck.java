package org.mlmspark.benchmarks.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.mlmspark.allreduce.AllReduce;
import org.mlmspark.allreduce.RingAllReduce;
import org.mlmspark.allreduce.RingOptions;
import org.mlmspark.cli.Cli;
import org.mlmspark.model.DeviceCopies;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelPresets;
import org.mlmspark.model.WeightInit;
import org.mlmspark.model.blocks.NamedParameter;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.train.Compute;
import org.mlmspark.train.DeviceChoice;
import org.mlmspark.train.GradientReducer;
import org.mlmspark.train.TrainStep;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.data.MaskedBatch;
import org.mlmspark.train.distributed.AllReduceGradientReducer;
import org.mlmspark.train.io.HfTrainRecording;
import org.mlmspark.train.optim.AdamW;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/gpu-check}: everything the GPU path needs, in one run on the machine that has the GPU: what the engine
 * sees, HF's recorded steps of the tiny fixture on the device against the CPU, host memory over data-parallel
 * steps at full size (the reducer's host copies included), and training throughput in fp32 and tf32 (bf16: see
 * {@link Compute#BF16_UNAVAILABLE}).
 * Exit 0 when every check passes, 1 when one fails, 2 on bad input.
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Engine and device report, device-vs-CPU parity, host memory per step, tokens/s in fp32/tf32.")
public final class GpuCheck implements Callable<Integer> {
  /** Loss and grad norm of every step agree with the CPU's to this relative difference. */
  static final double SCALAR_TOLERANCE = 1e-5;
  /** The final parameters agree with the CPU's to this absolute difference. */
  static final double PARAMETER_TOLERANCE = 1e-4;
  /** Host memory may grow by this much per step once warm (allocator noise); a leak of a gradient copy is far more. */
  static final long GROWTH_PER_STEP_BYTES = 4L << 20;

  @Option(names = "--device", defaultValue = "gpu",
      description = "the device checked: gpu, or cpu to run the whole check without one (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--fixture", paramLabel = "DIR",
      description = "HF's recorded steps (train.json, model/) (default: MLM_HOME/testdata/fixtures/hf/tiny-roberta)")
  Path fixture;

  @Option(names = "--preset", defaultValue = "distilroberta-base",
      description = "model shape for the memory and throughput checks (default: ${DEFAULT-VALUE})")
  String preset;

  @Option(names = "--memory-steps", defaultValue = "20", description = "default: ${DEFAULT-VALUE}")
  int memorySteps;

  @Option(names = "--batches", defaultValue = "8,32,64", split = ",", description = "default: ${DEFAULT-VALUE}")
  int[] batches;

  @Option(names = "--seq", defaultValue = "128", description = "tokens per sample (default: ${DEFAULT-VALUE})")
  int seq;

  @Option(names = "--throughput-steps", defaultValue = "5",
      description = "timed steps per row, after one untimed (default: ${DEFAULT-VALUE})")
  int throughputSteps;

  @Option(names = "--precisions", defaultValue = "fp32,tf32", split = ",",
      description = "throughput rows; tf32 runs in a child JVM started with the switch (default: ${DEFAULT-VALUE})")
  List<String> precisions;

  /** The child JVM's part: throughput rows only, in the precision this JVM was started for. */
  @Option(names = "--throughput-only", hidden = true)
  boolean throughputOnly;

  private final PrintStream out = System.out;
  private final List<String> failures = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (memorySteps < 6 || throughputSteps < 1 || seq < 2 || batches.length == 0) {
      throw new IllegalArgumentException("--memory-steps must be >= 6, --throughput-steps >= 1, --seq >= 2");
    }
    for (String precision : precisions) {
      if (precision.equals("bf16")) {
        throw new IllegalArgumentException(Compute.BF16_UNAVAILABLE);
      }
      if (!List.of("fp32", "tf32").contains(precision)) {
        throw new IllegalArgumentException("--precisions takes fp32 and tf32; got " + precision);
      }
    }
    ModelConfig config = ModelPresets.get(preset);
    Compute compute = new Compute(device, false);
    Device target = DeviceChoice.decide(compute.device(), DeviceChoice.EngineDevices.probe()).device();
    if (throughputOnly) {
      for (String precision : precisions) {
        throughput(config, target, precision);
      }
      return 0;
    }
    Path recording = fixture != null ? fixture
        : Path.of(System.getProperty("mlm.home", "."), "testdata", "fixtures", "hf", "tiny-roberta");
    if (!Files.isRegularFile(recording.resolve("train.json"))) {
      throw new IllegalArgumentException("no HF recording at " + recording + " (train.json, model/): pass --fixture");
    }
    report(compute);
    parity(HfTrainRecording.read(recording), recording.resolve("model"), target);
    memory(config, target);
    out.printf(Locale.ROOT, "throughput: %s, seq %d, %d timed steps per row%n", preset, seq, throughputSteps);
    out.printf(Locale.ROOT, "  %-9s %6s %12s%n", "precision", "batch", "tokens/s");
    for (String precision : precisions) {
      if (precision.equals("tf32")) {
        tf32Child();
      } else {
        throughput(config, target, precision);
      }
    }
    if (failures.isEmpty()) {
      out.println("gpu-check: all checks passed");
      return 0;
    }
    failures.forEach(f -> out.println("FAILED: " + f));
    return 1;
  }

  /** The engine, the library it loaded, the variables that chose it, and the device decision. */
  private void report(Compute compute) {
    DeviceChoice.EngineDevices engine = DeviceChoice.EngineDevices.probe();
    out.println("engine: DJL " + Engine.getDjlVersion() + ", " + engine.libtorch());
    for (String variable : List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR", "CUDA_VISIBLE_DEVICES",
        "CUDA_DEVICE_ORDER", Compute.TF32_VARIABLE)) {
      out.println("  " + variable + "=" + System.getenv().getOrDefault(variable, "(unset)"));
    }
    out.println("  CUDA: " + (engine.cuda() ? "yes, " + engine.gpus() + " device(s)" : "no"));
    out.println("device: " + DeviceChoice.decide(compute.device(), engine));
  }

  /** HF's recorded steps on the CPU and on the device: per-step scalars and the final parameters agree. */
  private void parity(HfTrainRecording recording, Path model, Device target) throws IOException {
    try (NDManager cpu = NDManager.newBaseManager(Device.cpu());
        NDManager dev = NDManager.newBaseManager(target)) {
      MaskedLmModel reference = load(model, cpu);
      MaskedLmModel checked = load(model, dev);
      TrainStep onCpu = recordedStep(reference, cpu, recording);
      TrainStep onDevice = recordedStep(checked, dev, recording);
      out.printf(Locale.ROOT, "parity: %d HF steps of the tiny fixture, %s vs cpu%n", recording.batches().size(),
          DeviceChoice.name(target));
      double worst = 0;
      for (int i = 0; i < recording.batches().size(); i++) {
        MaskedBatch batch = recording.batches().get(i).toMaskedBatch();
        TrainStep.Result a = onCpu.run(List.of(batch), i);
        TrainStep.Result b = onDevice.run(List.of(batch), i);
        double loss = relative(a.loss(), b.loss());
        double norm = relative(a.gradNorm(), b.gradNorm());
        worst = Math.max(worst, Math.max(loss, norm));
        out.printf(Locale.ROOT, "  step %2d  loss %.6f / %.6f  grad_norm %.6f / %.6f  (HF: %.6f, %.6f)%n", i + 1,
            a.loss(), b.loss(), a.gradNorm(), b.gradNorm(), recording.log().get(i).loss(),
            recording.log().get(i).gradNorm());
      }
      check(worst <= SCALAR_TOLERANCE, String.format(Locale.ROOT,
          "loss and grad norm: largest relative difference %.2e (limit %.0e)", worst, SCALAR_TOLERANCE));
      double largest = 0;
      List<NamedParameter> a = reference.namedParameters();
      List<NamedParameter> b = checked.namedParameters();
      for (int p = 0; p < a.size(); p++) {
        try (NDManager scope = NDManager.newBaseManager(Device.cpu())) {
          NDArray host = scope.create(b.get(p).parameter().getArray().getShape(), DataType.FLOAT32);
          DeviceCopies.copy(host, b.get(p).parameter().getArray());
          try (NDArray difference = host.sub(a.get(p).parameter().getArray()).abs().max()) {
            largest = Math.max(largest, difference.getFloat());
          }
        }
      }
      check(largest <= PARAMETER_TOLERANCE, String.format(Locale.ROOT,
          "parameters after %d steps: largest difference %.2e (limit %.0e)", recording.batches().size(), largest,
          PARAMETER_TOLERANCE));
    }
  }

  private static MaskedLmModel load(Path model, NDManager manager) throws IOException {
    return Checkpoints.load(ModelDirectory.of(new org.apache.hadoop.fs.Path(model.toUri()), new Configuration()),
        manager).model();
  }

  private static TrainStep recordedStep(MaskedLmModel model, NDManager manager, HfTrainRecording recording) {
    HfTrainRecording.Optimizer optimizer = recording.optimizer();
    return new TrainStep(model, manager, new AdamW(optimizer.adamW(), manager), optimizer.linearSchedule(),
        optimizer.maxGradNorm(), GradientReducer.SINGLE_WORKER, 42, 0);
  }

  /**
   * Data-parallel steps at full size through the all-reduce reducer (a group of one, its host copies as on a GPU
   * rank): resident host memory and live NDArrays after each step stay flat once warm.
   */
  private void memory(ModelConfig config, Device target) throws IOException {
    RingOptions options = new RingOptions("gpu-check", Duration.ofMinutes(1), RingOptions.DEFAULT_BUCKET_FLOATS,
        RingOptions.DEFAULT_SOCKET_BUFFER_BYTES);
    ServerSocketChannel listener = RingAllReduce.listen("127.0.0.1", options);
    int batch = batches[0];
    out.printf(Locale.ROOT, "host memory: %d data-parallel steps of %s, batch %d x %d, on %s%n", memorySteps, preset,
        batch, seq, DeviceChoice.name(target));
    try (AllReduce group = AllReduce.open(listener, 0, List.of(RingAllReduce.address(listener)), options);
        AllReduceGradientReducer reducer = new AllReduceGradientReducer(group,
            AllReduceGradientReducer.DEFAULT_BUCKET_FLOATS, AllReduceGradientReducer.Staging.ALWAYS);
        NDManager manager = NDManager.newBaseManager(target)) {
      MaskedLmModel model = MaskedLmModel.create(config, manager);
      WeightInit.apply(model, 0);
      TrainStep step = guideStep(model, manager, reducer);
      long[] rss = new long[memorySteps];
      int[] arrays = new int[memorySteps];
      for (int s = 0; s < memorySteps; s++) {
        TrainStep.read(List.of(step.start(List.of(batch(config, batch, s)), s)), reducer);
        rss[s] = nativeResidentBytes();
        arrays[s] = manager.getParentManager().getManagedArrays().size();
        out.printf(Locale.ROOT, "  step %2d  resident outside the JVM's heaps %,d MB  live NDArrays %d%n", s + 1,
            rss[s] >> 20, arrays[s]);
      }
      int warm = 4; // first steps allocate the moments and the reducer's host tensor
      double growth = (double) (rss[memorySteps - 1] - rss[warm]) / (memorySteps - 1 - warm);
      check(growth <= GROWTH_PER_STEP_BYTES, String.format(Locale.ROOT,
          "host memory grows %.1f MB per step after step %d (limit %d MB)", growth / (1 << 20), warm + 1,
          GROWTH_PER_STEP_BYTES >> 20));
      check(arrays[memorySteps - 1] == arrays[warm], "live NDArrays " + arrays[warm] + " after step " + (warm + 1)
          + ", " + arrays[memorySteps - 1] + " after step " + memorySteps);
    }
  }

  /** One row per batch size: tokens/s of training steps in {@code precision} on {@code target}. */
  private void throughput(ModelConfig config, Device target, String precision) {
    for (int batch : batches) {
      try (NDManager manager = NDManager.newBaseManager(target)) {
        MaskedLmModel model = MaskedLmModel.create(config, manager);
        WeightInit.apply(model, 0);
        TrainStep step = guideStep(model, manager, GradientReducer.SINGLE_WORKER);
        TrainStep.read(List.of(step.start(List.of(batch(config, batch, 0)), 0)), GradientReducer.SINGLE_WORKER);
        List<TrainStep.Pending> timed = new ArrayList<>();
        long start = System.nanoTime();
        for (int s = 1; s <= throughputSteps; s++) {
          timed.add(step.start(List.of(batch(config, batch, s)), s));
        }
        TrainStep.read(timed, GradientReducer.SINGLE_WORKER); // waits for the device
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "  %-9s %6d %12.0f%n", precision, batch,
            (double) batch * seq * throughputSteps / seconds);
      }
    }
  }

  /** The tf32 rows: libtorch reads its switch once at start-up, so they run in a JVM started with it. */
  private void tf32Child() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path")));
    for (String property : List.of("ai.djl.offline", "ai.djl.pytorch.num_threads", "log4j2.configurationFile")) {
      if (System.getProperty(property) != null) {
        command.add("-D" + property + "=" + System.getProperty(property));
      }
    }
    command.addAll(List.of(GpuCheck.class.getName(), "--throughput-only", "--device", device, "--preset", preset,
        "--seq", String.valueOf(seq), "--throughput-steps", String.valueOf(throughputSteps), "--precisions", "tf32",
        "--batches", String.join(",", java.util.Arrays.stream(batches).mapToObj(String::valueOf).toList())));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put(Compute.TF32_VARIABLE, "1");
    Process child = builder.start();
    String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    int code = child.waitFor();
    output.lines().filter(line -> line.startsWith("  tf32")).forEach(out::println);
    check(code == 0, "the tf32 child JVM exited with " + code
        + (code == 0 ? "" : ": " + output.lines().reduce((a, b) -> b).orElse("")));
  }

  private static TrainStep guideStep(MaskedLmModel model, NDManager manager, GradientReducer reducer) {
    TrainingSettings guide = TrainingSettings.guide();
    return new TrainStep(model, manager, new AdamW(guide.adamW(), manager),
        new org.mlmspark.train.optim.LinearWarmupSchedule(guide.learningRate(), 0, 1_000_000),
        guide.maxGradNorm(), reducer, guide.seed(), 0);
  }

  /** Full blocks of random ids with 15 % of the positions masked (RoBERTa's {@code <mask>} id is vocab − 1). */
  private MaskedBatch batch(ModelConfig config, int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int size = rows * seq;
    int[] ids = new int[size];
    int[] mask = new int[size];
    int[] labels = new int[size];
    for (int i = 0; i < size; i++) {
      ids[i] = random.nextInt(3, config.vocabSize() - 1);
      mask[i] = 1;
      labels[i] = MaskedBatch.IGNORE_INDEX;
      if (random.nextDouble() < 0.15) {
        labels[i] = ids[i];
        ids[i] = config.vocabSize() - 1;
      }
    }
    return new MaskedBatch(rows, seq, ids, mask, labels);
  }

  /**
   * Resident memory of this process (Linux {@code VmRSS}) less what the JVM committed for its own heaps, which
   * grow as the JVM sees fit: what is left is libtorch's host memory (and the JVM's native overhead).
   */
  private static long nativeResidentBytes() throws IOException {
    long resident = -1;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        resident = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    if (resident < 0) {
      throw new IOException("/proc/self/status has no VmRSS line");
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    return resident - memory.getHeapMemoryUsage().getCommitted() - memory.getNonHeapMemoryUsage().getCommitted();
  }

  private static double relative(double expected, double actual) {
    return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
  }

  private void check(boolean passed, String what) {
    out.println((passed ? "  ok: " : "  FAILED: ") + what);
    if (!passed) {
      failures.add(what);
    }
  }

  public static void main(String[] args) {
    Cli.exit(new GpuCheck(), args);
  }
}
