package org.mlmspark.allreduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PeerTest {
  @Test
  void parsesHostPortAsBarrierAllGatherCarriesIt() {
    Peer peer = Peer.parse(1, "127.0.0.1:40123");
    assertEquals(40123, peer.address().getPort());
    assertEquals("rank 1 (127.0.0.1:40123)", peer.toString());
    assertEquals("0:0:0:0:0:0:0:1", Peer.parse(0, "[::1]:7077").address().getHostString());
  }

  @Test
  void rejectsAddressesWithoutAValidPort() {
    for (String bad : new String[] {"localhost", "localhost:", ":80", "host:http", "host:0", "host:70000"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Peer.parse(2, bad), bad);
      assertEquals(true, e.getMessage().contains("rank 2") && e.getMessage().contains(bad), e.getMessage());
    }
  }
}
