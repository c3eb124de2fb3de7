package org.mlmspark.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.testing.TestData;

/**
 * {@code bin/notebook --execute} runs the walkthrough in Jupyter (nbconvert's nbclient) with the project's kernel:
 * every code cell ran, none failed, the pictures came out as {@code image/png} and HTML, and the numbers the cells
 * printed are a model that learned.
 */
class NotebookExecutionIT {
  /** Enough steps for the perplexity to fall well below the untrained model's, few enough for CI. */
  private static final int STEPS = 24;
  private static final Pattern PERPLEXITY = Pattern.compile("Perplexity: ([0-9.]+) \\(before training: ([0-9.]+)\\)");

  @TempDir Path dir;

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void everyCellRunsInJupyterWithoutAnErrorAndDrawsItsPictures() throws Exception {
    Jupyter.python(); // fails with the install line when Jupyter is missing
    Path root = TestData.projectRoot();
    Path tokenizer = TestData.distilrobertaTokenizer();
    Path executed = dir.resolve("out.ipynb");
    Path log = dir.resolve("notebook.log");
    ProcessBuilder run = new ProcessBuilder(root.resolve("bin/notebook").toString(), "--execute", "--output",
        executed.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
    run.environment().put("JAVA_OPTS", String.join(" ", "-Xmx3g", "-Dnotebook.out=" + dir.resolve("work"),
        "-Dnotebook.tokenizer=" + tokenizer, "-Dnotebook.steps=" + STEPS, "-Dspark.sql.shuffle.partitions=4"));
    Process notebook = run.start();
    try {
      assertTrue(notebook.waitFor(25, TimeUnit.MINUTES), "bin/notebook --execute did not finish");
    } finally {
      notebook.descendants().forEach(ProcessHandle::destroyForcibly); // nbconvert and the kernel, if still there
      notebook.destroyForcibly();
    }
    assertEquals(0, notebook.exitValue(), "bin/notebook --execute failed:\n" + Files.readString(log));

    JsonNode nb = new ObjectMapper().readTree(executed.toFile());
    assertEquals("java", nb.path("metadata").path("kernelspec").path("language").asText());
    assertEquals("java", nb.path("metadata").path("kernelspec").path("name").asText());
    assertEquals("java", nb.path("metadata").path("language_info").path("name").asText());

    List<JsonNode> outputs = new ArrayList<>();
    int codeCells = 0;
    for (JsonNode cell : nb.path("cells")) {
      if (cell.path("cell_type").asText().equals("code")) {
        codeCells++;
        assertTrue(cell.path("execution_count").isInt(), "a code cell did not run: " + cell.path("source"));
        cell.path("outputs").forEach(outputs::add);
      }
    }
    assertTrue(codeCells > 10, "code cells: " + codeCells);
    for (JsonNode output : outputs) {
      assertFalse(output.path("output_type").asText().equals("error"), "error output: " + output);
      assertFalse(output.path("name").asText().equals("stderr") && text(output.path("text")).contains("Exception"),
          "an exception on stderr: " + output);
    }

    List<BufferedImage> images = new ArrayList<>();
    for (JsonNode output : outputs) {
      if (output.path("data").has("image/png")) {
        byte[] png = Base64.getMimeDecoder().decode(text(output.path("data").path("image/png")));
        images.add(ImageIO.read(new ByteArrayInputStream(png)));
      }
    }
    assertEquals(1, images.size(), "the loss curve");
    assertEquals(800, images.get(0).getWidth());
    assertEquals(480, images.get(0).getHeight());

    List<String> html = outputs.stream().filter(o -> o.path("data").has("text/html"))
        .map(o -> text(o.path("data").path("text/html"))).toList();
    assertEquals(2, html.size(), "the masked block and the fill-mask table");
    assertTrue(html.get(0).contains("title=\"was ") && html.get(0).contains("mask token"), html.get(0));
    assertEquals(3, html.get(1).split("<tr><td>", -1).length - 1, html.get(1));

    // What the cells computed: the model learned (as NotebookTest checks through JShell).
    String printed = String.join("", outputs.stream().filter(o -> o.path("name").asText().equals("stdout"))
        .map(o -> text(o.path("text"))).toList());
    Matcher perplexity = PERPLEXITY.matcher(printed);
    assertTrue(perplexity.find(), printed);
    double after = Double.parseDouble(perplexity.group(1));
    double before = Double.parseDouble(perplexity.group(2));
    assertTrue(after > 1 && after < before / 4, "perplexity " + before + " -> " + after);
    assertTrue(Files.isRegularFile(dir.resolve("work/eli5-mlm-model/model.safetensors")));
  }

  /** nbformat stores multi-line text as one string or as a list of lines that keep their newlines. */
  private static String text(JsonNode value) {
    if (!value.isArray()) {
      return value.asText();
    }
    StringBuilder text = new StringBuilder();
    value.forEach(line -> text.append(line.asText()));
    return text.toString();
  }
}
