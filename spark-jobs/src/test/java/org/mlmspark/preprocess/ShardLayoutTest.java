package org.mlmspark.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ShardLayoutTest {
  @Test
  void consecutiveBatchesFillShardsInOrder() {
    ShardLayout layout = new ShardLayout(2, 5);
    assertEquals(List.of(0, 0, 0, 1, 1), LongStream.range(0, 5).mapToObj(layout::partitionOf).toList());
  }

  @Test
  void fewerBatchesThanShardsLeavesShardsEmpty() {
    ShardLayout layout = new ShardLayout(4, 2);
    assertEquals(List.of(0, 2), List.of(layout.partitionOf(0), layout.partitionOf(1)));
  }

  @Test
  void refusesBatchesOutsideTheSplit() {
    assertThrows(IllegalArgumentException.class, () -> new ShardLayout(2, 3).partitionOf(3));
  }
}
