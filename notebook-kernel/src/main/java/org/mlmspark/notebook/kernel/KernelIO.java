package org.mlmspark.notebook.kernel;

import java.nio.charset.StandardCharsets;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.JupyterIO;

/** The cell's stdout, stderr, stdin and display stream, tied to the request being answered. */
final class KernelIO extends JupyterIO {
  KernelIO() {
    super(StandardCharsets.UTF_8);
  }

  void attach(ShellReplyEnvironment env, boolean stdinAllowed) {
    setEnv(env);
    setJupyterInEnabled(stdinAllowed);
  }

  void detach(ShellReplyEnvironment env) {
    out.flush();
    err.flush();
    retractEnv(env);
  }
}
