package org.mlmspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.UserError;
import org.mlmspark.testing.TestData;
import org.mlmspark.train.cli.TrainCommand;

/** bin/train's mistakes found before Spark or libtorch start: one line each, exit 2, nothing written. */
class TrainPreflightTest {
  @TempDir Path dir;

  private record Run(int code, List<String> lines) {}

  private static Run train(String... args) {
    StringWriter err = new StringWriter();
    int code = Cli.run(new TrainCommand(), new PrintWriter(err, true), args);
    return new Run(code, err.toString().lines().toList());
  }

  @Test
  void aTypoIsNamedWithTheFlagItMeant() {
    assertEquals(new Run(2, List.of("error: unknown option --epoch (did you mean --epochs?)")),
        train("--data", "d", "--model", "m", "--output", "o", "--epoch", "1"));
  }

  @Test
  void rawEli5InputIsNamedWithThePreprocessCommand() throws Exception {
    Path raw = TestData.require("data/eli5_category_sample");
    Path model = TrainData.tinyModel(dir.resolve("model"));
    Path output = dir.resolve("out");
    assertEquals(new Run(2, List.of("error: " + raw + " is raw input, not bin/preprocess output; preprocess it"
            + " first: bin/preprocess --input " + raw + " --output DIR, then bin/train --data DIR")),
        train("--data", raw.toString(), "--model", model.toString(), "--output", output.toString()));
    assertFalse(Files.exists(output));
  }

  @Test
  void moreWorkersThanLocalTaskSlotsIsOneLine() throws Exception {
    Path data = TrainData.write(dir.resolve("data"), TrainData.corpus(8, 16, 1), null, 1);
    Path model = TrainData.tinyModel(dir.resolve("model"));
    String before = System.getProperty("spark.master");
    System.setProperty("spark.master", "local[2]");
    try {
      assertEquals(new Run(2, List.of("error: --workers 3 needs 3 task slots at once, but --master local[2] offers"
              + " 2: use at most 2 workers, or --master 'local[3]'")),
          train("--data", data.toString(), "--model", model.toString(), "--output", dir.resolve("o").toString(),
              "--workers", "3"));
    } finally {
      if (before == null) {
        System.clearProperty("spark.master");
      } else {
        System.setProperty("spark.master", before);
      }
    }
  }

  @Test
  void localSlots() {
    LocalSlots.check(2, "local[2]", 1, 8);
    LocalSlots.check(8, "local[*]", 1, 8);
    LocalSlots.check(5, "spark://host:7077", 1, 1);
    assertEquals(2, org.junit.jupiter.api.Assertions.assertThrows(UserError.class,
        () -> LocalSlots.check(2, "local", 1, 8)).exitCode());
    org.junit.jupiter.api.Assertions.assertThrows(UserError.class, () -> LocalSlots.check(3, "local[4]", 2, 8));
  }

  @Test
  void gpuIsRefusedBeforeLibtorchLoadsWhenCudaSeesNoDevice() {
    DeviceChoice.checkRequestable("cpu");
    DeviceChoice.checkRequestable("auto");
    assertEquals("--device must be auto, cpu or gpu, got tpu", org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> DeviceChoice.checkRequestable("tpu")).getMessage());
    if (ai.djl.util.cuda.CudaUtils.getGpuCount() == 0) {
      assertEquals("--device gpu, but this machine has no CUDA device: use --device cpu or auto",
          org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
              () -> DeviceChoice.checkRequestable("gpu")).getMessage());
    } else {
      DeviceChoice.checkRequestable("gpu");
    }
  }
}
