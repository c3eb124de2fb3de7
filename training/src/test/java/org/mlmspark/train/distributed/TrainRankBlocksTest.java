package org.mlmspark.train.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.mlmspark.train.data.BlockDataset;
import scala.reflect.ClassTag;

/** The broadcast blocks survive the serializer conf/spark-defaults.conf selects (Kryo), as bin/train uses it. */
class TrainRankBlocksTest {
  private final SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();

  @Test
  void blocksRoundTripThroughSparksKryo() {
    TrainRank.Blocks blocks = new TrainRank.Blocks(
        BlockDataset.of(List.of(new int[] {0, 5, 2}, new int[] {0, 7, 8, 2})), null);

    TrainRank.Blocks back = roundTrip(blocks);

    assertEquals(2, back.train().size());
    assertArrayEquals(new int[] {0, 7, 8, 2}, back.train().block(1));
    assertNull(back.test());
  }

  private TrainRank.Blocks roundTrip(TrainRank.Blocks blocks) {
    ClassTag<TrainRank.Blocks> tag = ClassTag.apply(TrainRank.Blocks.class);
    return kryo.deserialize(kryo.serialize(blocks, tag), tag);
  }
}
