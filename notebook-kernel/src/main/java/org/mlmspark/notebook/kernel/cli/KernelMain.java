package org.mlmspark.notebook.kernel.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.UserError;
import org.mlmspark.notebook.kernel.JavaKernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code java ... org.mlmspark.notebook.kernel.KernelMain CONNECTION_FILE}: what a kernelspec's {@code argv}
 * starts. Serves Jupyter's protocol on the sockets the connection file names until a shutdown request; cells see
 * this JVM's class path and system properties.
 */
@Command(name = "KernelMain", description = "The Jupyter kernel for Java cells (started by Jupyter).")
public final class KernelMain implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONNECTION_FILE", description = "Jupyter passes {connection_file}")
  Path connectionFile;

  public static void main(String[] args) {
    // Spark and DJL leave non-daemon threads behind; the kernel's life ends with the connection (Cli exits).
    Cli.exit(new KernelMain(), args);
  }

  @Override
  public Integer call() {
    KernelConnectionProperties properties;
    try {
      properties = KernelConnectionProperties.parse(Files.readString(connectionFile));
    } catch (IOException | RuntimeException e) {
      throw new UserError("cannot read the connection file " + connectionFile + ": " + e.getMessage());
    }
    if (properties == null || properties.getKey() == null || properties.getTransport() == null) {
      throw new UserError("the connection file " + connectionFile
          + " is not a Jupyter connection file (no transport or key)");
    }
    JupyterConnection connection;
    try {
      connection = new JupyterConnection(properties);
    } catch (GeneralSecurityException e) {
      throw new UserError("the connection file's signature scheme " + properties.getSignatureScheme()
          + " is not usable: " + e.getMessage());
    }
    JavaKernel kernel = JavaKernel.create(System.getProperty("java.class.path"));
    kernel.onStartup();
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
    return Cli.OK;
  }
}
