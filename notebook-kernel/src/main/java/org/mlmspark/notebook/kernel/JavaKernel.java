package org.mlmspark.notebook.kernel;

import java.awt.image.RenderedImage;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.mlmspark.notebook.Html;

/**
 * The Jupyter kernel for the project's Java notebooks: jjava's protocol handling ({@link BaseKernel}) around
 * {@link JShellCells}. A cell's output streams become {@code stream} messages, the value of its last expression
 * (no trailing semicolon) an {@code execute_result} — images as {@code image/png}, {@link Html} as {@code
 * text/html} — and a failure an {@code error} naming the cell and line.
 */
public final class JavaKernel extends BaseKernel {
  static final LanguageInfo JAVA = new LanguageInfo.Builder("java")
      .version(Runtime.version().toString())
      .mimetype("text/x-java-source")
      .fileExtension(".jshell")
      .pygments("java")
      .codemirror("java")
      .build();

  private final KernelIO kernelIo;
  private final JShellCells cells;

  private JavaKernel(KernelIO io, JShellCells cells) {
    super("mlm-spark", version(), JAVA, List.of(), null, io, new CommManager(), new CellRenderer(), null, null,
        false, new StringStyler.Builder().build());
    this.kernelIo = io;
    this.cells = cells;
    renderer.createRegistration(Html.class).preferring(MIMEType.TEXT_HTML)
        .register((html, context) -> context.renderIfRequested(MIMEType.TEXT_HTML, html::html));
  }

  /** @param classpath what cells compile against */
  public static JavaKernel create(String classpath) {
    return new JavaKernel(new KernelIO(), new JShellCells(classpath));
  }

  private static String version() {
    String version = JavaKernel.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  @Override
  protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
    commManager.setMessageContext(message);
    ExecuteRequest request = message.getContent();
    int count = executionCount.getAndIncrement();
    env.setBusyDeferIdle();
    env.publish(new PublishExecuteInput(request.getCode(), count));
    replaceOutputStreams(env);
    kernelIo.attach(env, request.isStdinEnabled());
    env.defer(() -> kernelIo.detach(env));
    try {
      JShellCells.Value value = cells.run(request.getCode(), count, System.err);
      kernelIo.out.flush();
      kernelIo.err.flush();
      if (value != null) {
        Object object = value.object();
        env.publish(new PublishExecuteResult(count,
            object == null ? new DisplayData("null") : renderer.render(object)));
      }
      env.defer().reply(new ExecuteReply(count, Map.of()));
    } catch (CellError e) {
      fail(env, count, e.name(), e.getMessage(), e.traceback());
    } catch (RuntimeException e) { // the renderer's, or JShell's own
      fail(env, count, e.getClass().getName(), String.valueOf(e.getMessage()), formatError(e));
    }
  }

  private void fail(ShellReplyEnvironment env, int count, String name, String message, List<String> traceback) {
    kernelIo.out.flush();
    kernelIo.err.flush();
    env.publish(new PublishError(name, message, traceback));
    ErrorReply reply = new ErrorReply(name, message, traceback);
    reply.setExecutionCount(count);
    env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
  }

  /** Cells run through {@link #handleExecuteRequest}; this answers jjava's API for code run from elsewhere. */
  @Override
  public Object evalRaw(String source) {
    try {
      JShellCells.Value value = cells.run(source, 0, System.err);
      return value == null ? null : value.object();
    } catch (CellError e) {
      throw new IllegalStateException(String.join("\n", e.traceback()), e);
    }
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    String signatures = cells.inspect(code, at);
    return signatures.isEmpty() ? null : new DisplayData(signatures);
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    JShellCells.Completions completions = cells.complete(code, at);
    return new ReplacementOptions(completions.options(), completions.from(), completions.to());
  }

  @Override
  public String isComplete(String code) {
    String completeness = cells.completeness(code);
    return completeness == null ? JShellCells.indent(code)
        : completeness.equals("complete") ? IS_COMPLETE_YES : IS_COMPLETE_BAD;
  }

  @Override
  public void interrupt() {
    cells.interrupt();
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    cells.close();
    super.onShutdown(isRestarting);
  }

  /** jjava's renderer, with a short text alternative for images instead of the image object's toString. */
  private static final class CellRenderer extends Renderer {
    @Override
    protected DisplayData finalizeDisplayData(DisplayData data, Object value) {
      if (value instanceof RenderedImage image && !data.hasDataForType(MIMEType.TEXT_PLAIN)) {
        data.putText("<image " + image.getWidth() + "x" + image.getHeight() + ">");
      }
      return super.finalizeDisplayData(data, value);
    }
  }
}
