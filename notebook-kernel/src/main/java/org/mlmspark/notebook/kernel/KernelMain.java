package org.mlmspark.notebook.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * {@code java ... org.mlmspark.notebook.kernel.KernelMain CONNECTION_FILE}: what a kernelspec's {@code argv}
 * starts. Serves Jupyter's protocol on the sockets the connection file names until a shutdown request; cells see
 * this JVM's class path and system properties.
 */
public final class KernelMain {
  private KernelMain() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      fail("usage: KernelMain CONNECTION_FILE (Jupyter passes {connection_file})");
    }
    KernelConnectionProperties properties = null;
    try {
      properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
    } catch (IOException | RuntimeException e) {
      fail("cannot read the connection file " + args[0] + ": " + e.getMessage());
    }
    if (properties == null || properties.getKey() == null || properties.getTransport() == null) {
      fail("the connection file " + args[0] + " is not a Jupyter connection file (no transport or key)");
    }
    JupyterConnection connection = null;
    try {
      connection = new JupyterConnection(properties);
    } catch (GeneralSecurityException e) {
      fail("the connection file's signature scheme " + properties.getSignatureScheme() + " is not usable: "
          + e.getMessage());
    }
    JavaKernel kernel = JavaKernel.create(System.getProperty("java.class.path"));
    kernel.onStartup();
    kernel.becomeHandlerForConnection(connection);
    connection.connect();
    connection.waitUntilClose();
    // Spark and DJL leave non-daemon threads behind; the kernel's life ends with the connection.
    System.exit(0);
  }

  private static void fail(String message) {
    System.err.println("error: " + message);
    System.exit(2);
  }
}
