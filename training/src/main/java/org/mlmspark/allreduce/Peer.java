package org.mlmspark.allreduce;

import java.net.InetSocketAddress;

/** A rank and the {@code host:port} its ring listener accepts on; named this way in every error. */
record Peer(int rank, InetSocketAddress address) {
  /** Parses {@code host:port}, {@code [ipv6]:port} included, as {@code BarrierTaskContext.allGather} carries it. */
  static Peer parse(int rank, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("peer address of rank " + rank + " is not host:port: '" + hostPort + "'");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("peer address of rank " + rank + " has no valid port: '" + hostPort + "'");
    }
    return new Peer(rank, new InetSocketAddress(host, port));
  }

  @Override
  public String toString() {
    return "rank " + rank + " (" + address.getHostString() + ":" + address.getPort() + ")";
  }
}
