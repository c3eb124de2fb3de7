package org.mlmspark.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlmspark.notebook.kernel.cli.KernelMain;

/**
 * The kernel as Jupyter sees it: started from a kernelspec by jupyter_client (the protocol's reference client, in
 * Python), driven over ZeroMQ with signed messages, and shut down by a shutdown request. One kernel session runs
 * every step below, in order, sharing the JShell state as a notebook's cells do.
 */
class KernelProtocolTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<ObjectNode> STEPS = new ArrayList<>();
  private static JsonNode session;

  @TempDir static Path dir;

  private static int step(ObjectNode step) {
    STEPS.add(step);
    return STEPS.size() - 1;
  }

  private static int execute(String code) {
    return step(JSON.createObjectNode().put("op", "execute").put("code", code));
  }

  private static final int INFO = step(JSON.createObjectNode().put("op", "kernel_info"));
  private static final int PRINT = execute("int x = 40;\nSystem.out.println(\"hello \" + (x + 2));");
  private static final int VALUE = execute("x + 2");
  private static final int SILENT = execute("x + 2; // a semicolon: nothing to show");
  private static final int STDERR = execute("System.err.print(\"careful\");");
  private static final int IMAGE = execute("import java.awt.image.BufferedImage;\n"
      + "BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);\nimage.setRGB(1, 1, 0xff0000);\n"
      + "image");
  private static final int HTML = execute("new org.mlmspark.notebook.Html(\"<b>bold & clear</b>\", \"bold & clear\")");
  private static final int COMPILE_ERROR = execute("int y = 1;\n\nString s = y + nope;");
  private static final int DEFINE = execute("// a method that throws\nvoid boom(int depth) {\n"
      + "  if (depth == 0) {\n    throw new IllegalStateException(\"boom at \" + depth);\n  }\n  boom(depth - 1);\n}");
  private static final int RUNTIME_ERROR = execute("int before = 1;\nboom(2);");
  private static final String PARTIAL = "int a = 1;\nint width = image.getWid";
  private static final int COMPLETE = step(JSON.createObjectNode().put("op", "complete")
      .put("code", PARTIAL).put("cursor", PARTIAL.length()));
  private static final int OPEN = step(JSON.createObjectNode().put("op", "is_complete")
      .put("code", "for (int i = 0; i < 3; i++) {"));
  private static final int CLOSED = step(JSON.createObjectNode().put("op", "is_complete").put("code", "int z = 1;"));
  private static final int INTERRUPTED = step(JSON.createObjectNode().put("op", "execute")
      .put("code", "System.out.println(\"sleeping\");\nThread.sleep(600_000);").put("interrupt_after", 3));
  private static final int AFTER = execute("x");

  @BeforeAll
  static void runSession() throws Exception {
    List<String> kernel = new ArrayList<>();
    kernel.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    kernel.add("-Xmx512m");
    kernel.add("-cp");
    kernel.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    kernel.add(KernelMain.class.getName());
    kernel.add("{connection_file}");
    Path spec = dir.resolve("data/kernels/java-test/kernel.json");
    Files.createDirectories(spec.getParent());
    ObjectNode kernelJson = JSON.createObjectNode().put("display_name", "Java (test)").put("language", "java")
        .put("interrupt_mode", "message");
    kernel.forEach(kernelJson.putArray("argv")::add);
    JSON.writeValue(spec.toFile(), kernelJson);

    Path script = dir.resolve("kernel_session.py");
    try (var in = KernelProtocolTest.class.getResourceAsStream("/kernel_session.py")) {
      Files.copy(in, script);
    }
    List<String> command = new ArrayList<>(Jupyter.python());
    command.add(script.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("session.log").toFile());
    builder.environment().put("JUPYTER_PATH", dir.resolve("data").toString());
    builder.environment().put("JUPYTER_RUNTIME_DIR", dir.resolve("runtime").toString());
    Process python = builder.start();
    ArrayNode steps = JSON.createArrayNode().addAll(STEPS);
    python.getOutputStream().write(JSON.writeValueAsBytes(JSON.createObjectNode().put("kernel", "java-test")
        .set("steps", steps)));
    python.getOutputStream().close();
    byte[] out = python.getInputStream().readAllBytes();
    assertTrue(python.waitFor(10, TimeUnit.MINUTES), "the client did not finish");
    String log = Files.readString(dir.resolve("session.log"));
    assertEquals(0, python.exitValue(), "jupyter_client session failed:\n" + log);
    session = JSON.readTree(out);
  }

  private static JsonNode reply(int step) {
    return session.path("steps").get(step).path("reply");
  }

  private static List<JsonNode> iopub(int step, String type) {
    List<JsonNode> found = new ArrayList<>();
    session.path("steps").get(step).path("iopub").forEach(m -> {
      if (m.path("msg_type").asText().equals(type)) {
        found.add(m.path("content"));
      }
    });
    return found;
  }

  private static String stream(int step, String name) {
    StringBuilder text = new StringBuilder();
    iopub(step, "stream").stream().filter(s -> s.path("name").asText().equals(name))
        .forEach(s -> text.append(s.path("text").asText()));
    return text.toString();
  }

  private static JsonNode result(int step) {
    List<JsonNode> results = iopub(step, "execute_result");
    return results.isEmpty() ? null : results.get(0).path("data");
  }

  @Test
  void kernelInfoSaysJava() {
    JsonNode info = reply(INFO);
    assertEquals("mlm-spark", info.path("implementation").asText());
    assertEquals("java", info.path("language_info").path("name").asText());
    assertTrue(info.path("protocol_version").asText().startsWith("5."), info.toString());
  }

  @Test
  void stdoutAndStderrBecomeStreams() {
    assertEquals("ok", reply(PRINT).path("status").asText());
    assertEquals("hello 42\n", stream(PRINT, "stdout"));
    assertNull(result(PRINT), "a statement has no result");
    assertEquals("careful", stream(STDERR, "stderr"));
    assertEquals(1, iopub(PRINT, "execute_input").size());
  }

  @Test
  void theLastExpressionIsTheResultUnlessASemicolonEndsIt() {
    assertEquals("42", result(VALUE).path("text/plain").asText());
    assertTrue(reply(VALUE).path("execution_count").asInt() > reply(PRINT).path("execution_count").asInt());
    assertEquals("ok", reply(SILENT).path("status").asText());
    assertNull(result(SILENT));
  }

  @Test
  void imagesArePngAndHtmlIsHtml() throws Exception {
    JsonNode data = result(IMAGE);
    assertNotNull(data, session.path("steps").get(IMAGE).toString());
    byte[] png = Base64.getMimeDecoder().decode(data.path("image/png").asText());
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(3, image.getWidth());
    assertEquals(2, image.getHeight());
    assertEquals(0xff0000, image.getRGB(1, 1) & 0xffffff);
    assertEquals("<image 3x2>", data.path("text/plain").asText());

    JsonNode html = result(HTML);
    assertEquals("<b>bold & clear</b>", html.path("text/html").asText());
    assertEquals("bold & clear", html.path("text/plain").asText());
  }

  @Test
  void aCompileErrorNamesTheCellLineAndTheProblem() {
    assertEquals("error", reply(COMPILE_ERROR).path("status").asText());
    JsonNode error = iopub(COMPILE_ERROR, "error").get(0);
    assertEquals("CompilationError", error.path("ename").asText());
    assertTrue(error.path("evalue").asText().contains("cannot find symbol"), error.toString());
    List<String> traceback = texts(error.path("traceback"));
    int cell = reply(COMPILE_ERROR).path("execution_count").asInt();
    assertEquals("  In[" + cell + "], line 3: String s = y + nope;", traceback.get(1));
    assertEquals(traceback.get(1).indexOf("nope"), traceback.get(2).indexOf('^'), "the caret points at the symbol");
  }

  @Test
  void anExceptionShowsItsClassAndTheCellLinesOfEverySnippetFrame() {
    assertEquals("ok", reply(DEFINE).path("status").asText());
    assertEquals("error", reply(RUNTIME_ERROR).path("status").asText());
    assertEquals("java.lang.IllegalStateException", reply(RUNTIME_ERROR).path("ename").asText());
    JsonNode error = iopub(RUNTIME_ERROR, "error").get(0);
    assertEquals("java.lang.IllegalStateException", error.path("ename").asText());
    assertEquals("boom at 0", error.path("evalue").asText());
    List<String> traceback = texts(error.path("traceback"));
    int defined = reply(DEFINE).path("execution_count").asInt();
    int called = reply(RUNTIME_ERROR).path("execution_count").asInt();
    assertEquals("java.lang.IllegalStateException: boom at 0", traceback.get(0));
    String throwing = "boom, In[" + defined + "], line 4: throw new IllegalStateException(\"boom at \" + depth);";
    String recursing = "boom, In[" + defined + "], line 6: boom(depth - 1);";
    assertTrue(traceback.get(1).endsWith(throwing), traceback.toString());
    assertTrue(traceback.get(2).endsWith(recursing), traceback.toString());
    assertTrue(traceback.get(4).endsWith("In[" + called + "], line 2: boom(2);"), traceback.toString());
  }

  @Test
  void completionOffersTheMethodsOfAVariableFromAnEarlierCell() {
    JsonNode reply = reply(COMPLETE);
    assertEquals("ok", reply.path("status").asText());
    assertTrue(texts(reply.path("matches")).contains("getWidth("), reply.toString());
    assertEquals(PARTIAL.indexOf("getWid"), reply.path("cursor_start").asInt(), "the replaced range is 'getWid'");
    assertEquals(PARTIAL.length(), reply.path("cursor_end").asInt());
  }

  @Test
  void isCompleteTellsAnOpenBlockFromAFinishedStatement() {
    assertEquals("incomplete", reply(OPEN).path("status").asText());
    assertEquals("  ", reply(OPEN).path("indent").asText());
    assertEquals("complete", reply(CLOSED).path("status").asText());
  }

  @Test
  void anInterruptStopsTheRunningCellAndTheKernelGoesOn() {
    assertEquals("sleeping\n", stream(INTERRUPTED, "stdout"));
    assertEquals("error", reply(INTERRUPTED).path("status").asText());
    assertEquals("java.lang.InterruptedException", reply(INTERRUPTED).path("ename").asText());
    assertEquals("40", result(AFTER).path("text/plain").asText());
  }

  @Test
  void aShutdownRequestEndsTheKernelProcess() {
    assertTrue(session.path("ended").asBoolean(), "the kernel still runs after a shutdown request");
    assertFalse(session.path("steps").isEmpty());
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }
}
