package org.mlmspark.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.testing.TestData;
import org.mlmspark.testing.TestClasspath;

/**
 * notebooks/eli5-mlm-walkthrough.ipynb runs from the first cell to the last, as its Java kernel would run it, and
 * ends with what the guide ends with: a trained model's perplexity and fill-mask's top-k.
 */
class NotebookTest {
  private static final Path NOTEBOOK =
      TestData.projectRoot().resolve("notebooks").resolve("eli5-mlm-walkthrough.ipynb");
  /** Enough steps for the loss to fall, few enough for CI. */
  private static final int STEPS = 24;

  @TempDir Path out;

  @Test
  void isAJavaNotebookCommittedWithoutOutputs() throws Exception {
    Notebook notebook = Notebook.read(NOTEBOOK);
    assertEquals("java", notebook.kernelspec().path("name").asText());
    assertEquals("Java", notebook.kernelspec().path("display_name").asText());
    assertEquals("java", notebook.kernelspec().path("language").asText());
    assertTrue(notebook.codeCells().size() > 10, "code cells: " + notebook.codeCells().size());
    for (Notebook.Cell cell : notebook.codeCells()) {
      // Stored outputs would be stale the moment the code changes; CI's run is the output that counts.
      assertTrue(cell.outputs().isEmpty(), "cell " + cell.number() + " has stored outputs");
      assertFalse(cell.source().stripLeading().startsWith("%"), "cell " + cell.number() + " uses a kernel magic");
    }
    // nbformat 4.5 requires every cell to have an id, unique in the notebook
    JsonNode cells = new ObjectMapper().readTree(NOTEBOOK.toFile()).path("cells");
    Set<String> ids = new HashSet<>();
    cells.forEach(cell -> assertTrue(cell.path("id").asText().matches("[a-zA-Z0-9_-]{1,64}")
        && ids.add(cell.path("id").asText()), "cell id " + cell.path("id")));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung cell fails
  void everyCellRunsInOrderAndTheGuidesResultsComeOut() throws Exception {
    Path tokenizer = TestData.distilrobertaTokenizer();
    Notebook notebook = Notebook.read(NOTEBOOK);
    List<String> jvm = new ArrayList<>(TestClasspath.sparkJvmFlags());
    jvm.add("-Xmx4g");
    Map<String, String> settings = Map.of(
        "mlmspark.root", TestData.projectRoot().toString(),
        "notebook.out", out.toString(),
        "notebook.tokenizer", tokenizer.toString(),
        "notebook.steps", Integer.toString(STEPS),
        "spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "4",
        "spark.driver.host", "127.0.0.1");
    try (JShellKernel kernel = new JShellKernel(TestClasspath.joined(), jvm, settings)) {
      String trainingOutput = "";
      for (Notebook.Cell cell : notebook.codeCells()) {
        String printed = kernel.run(cell);
        if (cell.source().contains("trainer.run(")) {
          trainingOutput = printed;
        }
      }

      // The preprocessing job wrote what the manifest says, and training read all of it.
      assertTrue(Files.isRegularFile(out.resolve("eli5-blocks/manifest.json")));
      int trainBlocks = Integer.parseInt(kernel.value("data.train().size()"));
      assertTrue(trainBlocks > 100, "train blocks: " + trainBlocks);
      assertEquals(Integer.toString(trainBlocks), kernel.value("manifest.splits().get(\"train\").blocks()"));
      assertEquals(kernel.value("manifest.splits().get(\"test\").blocks()"), kernel.value("data.test().size()"));
      assertEquals("true", kernel.value("batch.labelCount() > 0"));

      // Training ran the steps asked for and learned: the loss fell and the test perplexity is far below chance.
      assertEquals(Integer.toString(STEPS), kernel.value("state.globalStep()"));
      assertTrue(trainingOutput.contains("Perplexity: "), trainingOutput);
      double firstLoss = Double.parseDouble(kernel.value("state.history().steps().get(0).loss()"));
      double lastLoss = Double.parseDouble(kernel.value("state.history().meanLoss(" + (STEPS - 4) + ", " + STEPS + ")"));
      assertTrue(lastLoss < firstLoss - 1, "loss " + firstLoss + " -> " + lastLoss);
      double perplexity = Double.parseDouble(kernel.value("perplexity"));
      double before = Double.parseDouble(kernel.value("initialPerplexity"));
      assertTrue(Double.isFinite(perplexity) && perplexity > 1, "perplexity " + perplexity);
      assertTrue(perplexity < before / 4, "perplexity " + before + " -> " + perplexity);
      assertTrue(Files.isRegularFile(out.resolve("eli5-mlm-model/model.safetensors")));

      // Fill-mask: k predictions, best first, each filling the mask; the guide's manual top-k finds the same tokens.
      assertEquals("3", kernel.value("predictions.size()"));
      assertEquals("true", kernel.value("predictions.get(0).score() >= predictions.get(1).score()"
          + " && predictions.get(1).score() >= predictions.get(2).score() && predictions.get(2).score() > 0"));
      assertEquals("true", kernel.value("predictions.stream().allMatch(p -> p.sequence().contains(p.tokenStr().strip())"
          + " && !p.sequence().contains(\"<mask>\"))"));
      assertEquals(kernel.value("Arrays.toString(predictions.stream().mapToLong(p -> p.token()).toArray())"),
          kernel.value("Arrays.toString(topTokens)"));

      // The pictures: the loss curve bin/train draws, the masked block with one highlight per labelled position,
      // the fill-mask table with one row per prediction.
      assertEquals("800", kernel.value("lossCurve.getWidth()"));
      assertEquals("480", kernel.value("lossCurve.getHeight()"));
      assertEquals(kernel.value("Arrays.stream(batch.labels()).limit(batch.sequenceLength())"
          + ".filter(l -> l != MaskedBatch.IGNORE_INDEX).count()"),
          kernel.value("(long) maskedView.html().split(\"title=\", -1).length - 1"));
      assertEquals("3", kernel.value("fillMaskTable.html().split(\"<tr><td>\", -1).length - 1"));
      assertEquals("true", kernel.value("fillMaskTable.html().contains(Html.escape(predictions.get(0).sequence()))"));
    }
  }
}
