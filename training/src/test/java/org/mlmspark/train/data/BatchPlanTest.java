package org.mlmspark.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
  @Test
  void stepsPerEpochCountShortBatchesLikeHfTrainer() {
    // 21 samples, global micro-batch 4 -> 6 micro-batches (the last has 1 sample); 2 per step -> 3 steps.
    BatchPlan plan = new BatchPlan(4, 1, 2);
    assertEquals(6, plan.microBatchesPerEpoch(21));
    assertEquals(3, plan.stepsPerEpoch(21));
    assertEquals(3, new BatchPlan(4, 1, 2).stepsPerEpoch(17)); // 5 micro-batches: the last step has one
    assertEquals(9, plan.totalSteps(21, 3, 0));
    assertEquals(5, plan.totalSteps(21, 1.5, 0)); // ceil(1.5 x 3)
    assertEquals(100, plan.totalSteps(21, 3, 100)); // max steps wins
  }

  @Test
  void oneRankTimesEightSeesWhatTwoRanksTimesFourSee() {
    int datasetSize = 37; // the last micro-batch is short (5 samples)
    EpochOrder order = new EpochOrder(11, datasetSize);
    BatchPlan single = new BatchPlan(8, 1, 2);
    BatchPlan pair = new BatchPlan(4, 2, 2);
    assertEquals(single.stepsPerEpoch(datasetSize), pair.stepsPerEpoch(datasetSize));
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int step = 0; step < single.stepsPerEpoch(datasetSize); step++) {
        DataPosition at = new DataPosition(epoch, step);
        List<int[]> whole = single.samplesFor(order, at, 0);
        List<int[]> rank0 = pair.samplesFor(order, at, 0);
        List<int[]> rank1 = pair.samplesFor(order, at, 1);
        assertEquals(whole.size(), rank0.size());
        for (int micro = 0; micro < whole.size(); micro++) {
          assertArrayEquals(whole.get(micro), concat(rank0.get(micro), rank1.get(micro)));
          assertEquals(rank0.get(micro).length, rank1.get(micro).length, 1);
        }
      }
    }
  }

  @Test
  void anEpochVisitsEverySampleOnceAcrossStepsAndRanks() {
    int datasetSize = 50;
    EpochOrder order = new EpochOrder(3, datasetSize);
    BatchPlan plan = new BatchPlan(3, 4, 2); // global micro-batch 12: 5 micro-batches, 3 steps
    List<Integer> seen = new ArrayList<>();
    for (int step = 0; step < plan.stepsPerEpoch(datasetSize); step++) {
      for (int rank = 0; rank < 4; rank++) {
        for (int[] micro : plan.samplesFor(order, new DataPosition(1, step), rank)) {
          Arrays.stream(micro).forEach(seen::add);
        }
      }
    }
    assertEquals(IntStream.range(0, datasetSize).boxed().toList(), seen.stream().sorted().toList());
  }

  @Test
  void fewerSamplesThanRanksLeavesSomeRanksEmpty() {
    EpochOrder order = new EpochOrder(3, 9); // second micro-batch holds 1 sample for 2 ranks
    BatchPlan plan = new BatchPlan(4, 2, 1);
    DataPosition last = new DataPosition(0, 1);
    assertEquals(0, plan.samplesFor(order, last, 0).get(0).length);
    assertEquals(1, plan.samplesFor(order, last, 1).get(0).length);
  }

  @Test
  void resumingAtAPositionReplaysTheSameSamples() {
    EpochOrder order = new EpochOrder(5, 30);
    BatchPlan plan = new BatchPlan(4, 1, 1);
    int perEpoch = plan.stepsPerEpoch(30); // 8
    DataPosition walked = DataPosition.START;
    for (int step = 0; step < 13; step++) {
      walked = walked.next(perEpoch);
    }
    DataPosition resumed = DataPosition.afterSteps(13, perEpoch);
    assertEquals(new DataPosition(1, 5), resumed);
    assertEquals(walked, resumed);
    assertEquals(13, resumed.globalStep(perEpoch));
    // A fresh process (new EpochOrder) at the resumed position gets the samples the first one would have.
    assertArrayEquals(plan.samplesFor(order, walked, 0).get(0),
        plan.samplesFor(new EpochOrder(5, 30), resumed, 0).get(0));
  }

  @Test
  void rejectsPositionsAndRanksOutsideThePlan() {
    EpochOrder order = new EpochOrder(5, 30);
    BatchPlan plan = new BatchPlan(4, 2, 1);
    assertThrows(IllegalArgumentException.class, () -> plan.samplesFor(order, new DataPosition(0, 4), 0));
    assertThrows(IllegalArgumentException.class, () -> plan.samplesFor(order, DataPosition.START, 2));
    assertThrows(IllegalArgumentException.class, () -> new BatchPlan(0, 1, 1));
  }

  private static int[] concat(int[] a, int[] b) {
    int[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
