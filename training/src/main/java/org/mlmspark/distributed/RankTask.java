package org.mlmspark.distributed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.mlmspark.allreduce.AllReduce;
import org.mlmspark.allreduce.RingAllReduce;
import org.mlmspark.allreduce.RingOptions;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * The body of each barrier task: joins the ring, picks the device, agrees on the checkpoint to resume from, runs
 * the {@link RankFunction} and returns {@code rank} and the Java-serialized result (Java serialization because
 * {@link RankFunction} results are {@link Serializable}, whatever serializer the job configures).
 */
final class RankTask<R extends Serializable> extends AbstractFunction1<Iterator<Integer>, Iterator<byte[]>>
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String NO_CHECKPOINT = "none";

  private final String runId;
  private final Duration collectiveTimeout;
  private final int bucketFloats;
  private final CheckpointStore checkpoints;
  private final String metricsAddress;
  private final String metricsToken;
  private final RankFunction<R> function;

  RankTask(String runId, Duration collectiveTimeout, int bucketFloats, CheckpointStore checkpoints,
      String metricsAddress, String metricsToken, RankFunction<R> function) {
    this.runId = runId;
    this.collectiveTimeout = collectiveTimeout;
    this.bucketFloats = bucketFloats;
    this.checkpoints = checkpoints;
    this.metricsAddress = metricsAddress;
    this.metricsToken = metricsToken;
    this.function = function;
  }

  @Override
  public Iterator<byte[]> apply(Iterator<Integer> ignored) {
    BarrierTaskContext task = BarrierTaskContext.get();
    int rank = task.partitionId();
    int worldSize = task.getTaskInfos().length;
    int attempt = task.stageAttemptNumber();
    String who = "rank " + rank + "/" + worldSize + " (stage " + task.stageId() + " attempt " + attempt + ")";
    try (MetricsClient metrics = MetricsClient.connect(metricsAddress, metricsToken, rank, worldSize, attempt)) {
      try {
        R result = runRank(task, rank, worldSize, attempt, metrics, who);
        return scala.collection.Iterator.single(encode(rank, result));
      } catch (RankFailedException e) {
        throw e;
      } catch (Exception e) {
        metrics.failed(e);
        throw new RankFailedException(who + " failed: " + e, e);
      }
    }
  }

  private R runRank(BarrierTaskContext task, int rank, int worldSize, int attempt, MetricsClient metrics,
      String who) throws Exception {
    // The attempt number in the ring's id makes a straggler of an earlier attempt fail the handshake.
    RingOptions options = new RingOptions(runId + "/stage-" + task.stageId() + "/attempt-" + attempt,
        collectiveTimeout, bucketFloats, RingOptions.DEFAULT_SOCKET_BUFFER_BYTES);
    RankDevice device = RankDevice.choose(gpuAddresses(task));
    ServerSocketChannel listener = RingAllReduce.listen(host(task.getTaskInfos()[rank].address()), options);
    List<String> peers = new ArrayList<>();
    OptionalLong resume;
    try {
      // One allGather for both: Spark's barrier calls poll for completion once a second, so each costs ~1 s.
      // Rank 0 also names the newest checkpoint, so all ranks resume from the same step.
      String[] gathered = task.allGather(RingAllReduce.address(listener) + " " + (rank == 0 ? latestStep() : "-"));
      for (String entry : gathered) {
        peers.add(entry.substring(0, entry.indexOf(' ')));
      }
      String chosen = gathered[0].substring(gathered[0].indexOf(' ') + 1);
      resume = chosen.equals(NO_CHECKPOINT) ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(chosen));
    } catch (RuntimeException e) {
      listener.close();
      throw e;
    }
    try (AllReduce ring = AllReduce.open(listener, rank, peers, options)) {
      metrics.message("ring of " + worldSize + " formed, listening on " + peers.get(rank) + ", device " + device
          + (resume.isPresent() ? ", resuming from checkpoint step " + resume.getAsLong() : ""));
      try {
        return function.run(new RankContext(rank, worldSize, attempt, ring, device, metrics, checkpoints, resume,
            task));
      } catch (Exception e) {
        metrics.failed(e); // before the ring closes and the other ranks fail in turn
        throw new RankFailedException(who + " failed: " + e, e);
      }
    }
  }

  private String latestStep() {
    if (checkpoints == null) {
      return NO_CHECKPOINT;
    }
    OptionalLong latest = checkpoints.latestStep();
    return latest.isPresent() ? Long.toString(latest.getAsLong()) : NO_CHECKPOINT;
  }

  private static List<String> gpuAddresses(BarrierTaskContext task) {
    ResourceInformation gpu = task.resourcesJMap().get("gpu");
    return gpu == null ? List.of() : List.of(gpu.addresses());
  }

  /** The host part of Spark's {@code host:port} executor address, where the other ranks can reach this one. */
  static String host(String executorAddress) {
    int colon = executorAddress.lastIndexOf(':');
    String host = colon < 0 ? executorAddress : executorAddress.substring(0, colon);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static byte[] encode(int rank, Object result) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeInt(rank);
      out.writeObject(result);
    } catch (IOException e) {
      throw new UncheckedIOException("rank " + rank + "'s result cannot be serialized", e);
    }
    return bytes.toByteArray();
  }
}
