package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ShardLayoutTest {
  @Test
  void consecutiveBatchesFillShardsInOrderPerSplit() {
    ShardLayout layout = new ShardLayout(2, 5, 1);
    assertEquals(4, layout.partitions());
    assertEquals(
        List.of(0, 0, 0, 1, 1),
        LongStream.range(0, 5).mapToObj(b -> layout.partitionOf(false, b)).toList());
    assertEquals(2, layout.partitionOf(true, 0));
  }

  @Test
  void fewerBatchesThanShardsLeavesShardsEmpty() {
    ShardLayout layout = new ShardLayout(4, 2, 2);
    assertEquals(List.of(0, 2), List.of(layout.partitionOf(false, 0), layout.partitionOf(false, 1)));
    assertEquals(List.of(4, 6), List.of(layout.partitionOf(true, 0), layout.partitionOf(true, 1)));
  }
}
