package org.mlmspark.benchmarks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mlmspark.cli.Cli;
import org.mlmspark.train.HfTrainFixture;

/** {@code bin/gpu-check --device cpu} end to end at small sizes: every check runs and passes without a GPU. */
class GpuCheckTest {
  private record Run(int code, String out, String err) {}

  private static Run gpuCheck(String... args) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int code = Cli.run(new GpuCheck(), new PrintWriter(err, true, StandardCharsets.UTF_8), args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
    }
  }

  @Test
  void runsEveryCheckOnTheCpu() {
    Run run = gpuCheck("--device", "cpu", "--fixture", HfTrainFixture.directory().toString(), "--preset", "tiny",
        "--batches", "2", "--seq", "16", "--memory-steps", "12", "--throughput-steps", "1");
    assertEquals(0, run.code(), run.out() + run.err());
    String out = run.out();
    assertTrue(out.contains("engine: DJL 0.36.0, libtorch 2.7.1"), out);
    assertTrue(out.contains("device: cpu (--device cpu)"), out);
    assertTrue(out.contains("parity: 10 HF steps of the tiny fixture, cpu vs cpu"), out);
    assertTrue(out.contains("ok: loss and grad norm") && out.contains("ok: parameters after 10 steps"), out);
    assertTrue(out.contains("host memory: 12 data-parallel steps of tiny") && out.contains("ok: live NDArrays"), out);
    for (String precision : new String[] {"fp32", "tf32"}) {
      assertTrue(out.matches("(?s).*\\n  " + precision + " +2 +\\d+\\n.*"), precision + " row in\n" + out);
    }
    assertTrue(out.endsWith("gpu-check: all checks passed\n"), out);
  }

  @Test
  void badInputIsOneLineAndExitTwo() {
    Run run = gpuCheck("--device", "cpu", "--precisions", "fp16");
    assertEquals(2, run.code());
    assertEquals("error: --precisions takes fp32 and tf32; got fp16\n", run.err());
    Run bf16 = gpuCheck("--device", "cpu", "--precisions", "fp32,bf16");
    assertEquals(2, bf16.code());
    assertTrue(bf16.err().startsWith("error: --bf16: DJL 0.36's PyTorch engine has no bfloat16 tensors"), bf16.err());
  }
}
