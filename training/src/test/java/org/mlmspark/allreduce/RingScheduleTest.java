package org.mlmspark.allreduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlmspark.allreduce.RingSchedule.Phase;

class RingScheduleTest {

  @Test
  void chunksTileTheBufferWithSizesDifferingByAtMostOne() {
    for (int n = 1; n <= 7; n++) {
      for (long length : new long[] {0, 1, 2, 3, 5, 6, 7, 13, 97, 1_000_003, 82_118_233}) {
        RingSchedule schedule = new RingSchedule(n, 0);
        long next = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int c = 0; c < n; c++) {
          assertEquals(next, schedule.chunkOffset(length, c), "n=" + n + " length=" + length + " chunk " + c);
          long size = schedule.chunkLength(length, c);
          next += size;
          min = Math.min(min, size);
          max = Math.max(max, size);
        }
        assertEquals(length, next, "chunks of n=" + n + " cover length " + length);
        assertTrue(max - min <= 1, "n=" + n + " length=" + length + " sizes " + min + ".." + max);
      }
    }
  }

  @Test
  void whatEachRankSendsIsWhatItsRightNeighbourReceives() {
    for (int n = 2; n <= 6; n++) {
      for (Phase phase : Phase.values()) {
        for (int step = 0; step < n - 1; step++) {
          for (int r = 0; r < n; r++) {
            RingSchedule sender = new RingSchedule(n, r);
            RingSchedule receiver = new RingSchedule(n, sender.right());
            assertEquals(r, receiver.left());
            assertEquals(sender.sendChunk(phase, step), receiver.receiveChunk(phase, step),
                phase + " n=" + n + " step " + step + " rank " + r);
          }
        }
      }
    }
  }

  /**
   * Runs the schedule on symbolic buffers: each chunk holds the list of ranks summed into it, in summation
   * order. Every rank must end with every chunk summed over all ranks exactly once, in the same order.
   */
  @Test
  void simulatedRingSumsEveryChunkOverAllRanksInOneFixedOrder() {
    for (int n = 1; n <= 6; n++) {
      List<List<List<Integer>>> terms = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        List<List<Integer>> chunks = new ArrayList<>();
        for (int c = 0; c < n; c++) {
          chunks.add(List.of(r));
        }
        terms.add(chunks);
      }
      runRing(n, terms, Phase.REDUCE_SCATTER, (own, received) -> concat(received, own));
      for (int r = 0; r < n; r++) {
        RingSchedule schedule = new RingSchedule(n, r);
        int owned = schedule.ownedChunk();
        List<Integer> expectedOrder = new ArrayList<>();
        for (int k = 0; k < n; k++) {
          expectedOrder.add((owned + k) % n);
        }
        assertEquals(expectedOrder, terms.get(r).get(owned), "rank " + r + " owns chunk " + owned);
      }
      runRing(n, terms, Phase.ALL_GATHER, (own, received) -> received);
      for (int r = 0; r < n; r++) {
        assertEquals(terms.get(0), terms.get(r), "rank " + r + " of " + n + " ends like rank 0");
        for (int c = 0; c < n; c++) {
          List<Integer> sorted = new ArrayList<>(terms.get(r).get(c));
          sorted.sort(null);
          List<Integer> all = new ArrayList<>();
          for (int k = 0; k < n; k++) {
            all.add(k);
          }
          assertEquals(all, sorted, "chunk " + c + " of rank " + r + " sums each rank once");
        }
      }
    }
  }

  @Test
  void rejectsRanksStepsAndChunksOutsideTheRing() {
    assertThrows(IllegalArgumentException.class, () -> new RingSchedule(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new RingSchedule(3, 3));
    assertThrows(IllegalArgumentException.class, () -> new RingSchedule(3, -1));
    RingSchedule schedule = new RingSchedule(3, 1);
    assertThrows(IllegalArgumentException.class, () -> schedule.sendChunk(Phase.REDUCE_SCATTER, 2));
    assertThrows(IllegalArgumentException.class, () -> schedule.chunkLength(10, 3));
  }

  private interface Combine {
    List<Integer> apply(List<Integer> own, List<Integer> received);
  }

  /** One phase: at every step all ranks send at once, then each receiver combines into its chunk. */
  private static void runRing(int n, List<List<List<Integer>>> terms, Phase phase, Combine combine) {
    for (int step = 0; step < n - 1; step++) {
      List<List<Integer>> inFlight = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        inFlight.add(terms.get(r).get(new RingSchedule(n, r).sendChunk(phase, step)));
      }
      for (int r = 0; r < n; r++) {
        RingSchedule schedule = new RingSchedule(n, r);
        int chunk = schedule.receiveChunk(phase, step);
        List<Integer> own = terms.get(r).get(chunk);
        terms.get(r).set(chunk, combine.apply(own, inFlight.get(schedule.left())));
      }
    }
  }

  private static List<Integer> concat(List<Integer> a, List<Integer> b) {
    List<Integer> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
