package org.mlmspark.distributed;

import java.util.OptionalLong;
import org.apache.spark.TaskContext;
import org.mlmspark.allreduce.AllReduce;

/** What one rank's {@link RankFunction} gets: its place in the group, its peers, its device, its history. */
public final class RankContext {
  private final int rank;
  private final int worldSize;
  private final int attempt;
  private final AllReduce allReduce;
  private final RankDevice device;
  private final MetricsSink metrics;
  private final CheckpointStore checkpoints;
  private final OptionalLong resumeStep;
  private final TaskContext task;

  RankContext(int rank, int worldSize, int attempt, AllReduce allReduce, RankDevice device, MetricsSink metrics,
      CheckpointStore checkpoints, OptionalLong resumeStep, TaskContext task) {
    this.rank = rank;
    this.worldSize = worldSize;
    this.attempt = attempt;
    this.allReduce = allReduce;
    this.device = device;
    this.metrics = metrics;
    this.checkpoints = checkpoints;
    this.resumeStep = resumeStep;
    this.task = task;
  }

  /** 0 .. worldSize-1; rank 0 is the one that writes checkpoints and final outputs. */
  public int rank() {
    return rank;
  }

  public int worldSize() {
    return worldSize;
  }

  /** The Spark stage attempt (0 first): above 0 the stage was retried after a rank or executor was lost. */
  public int attempt() {
    return attempt;
  }

  /** The group's collectives (a ring over TCP; for world size 1 a no-op). Closed by the launcher. */
  public AllReduce allReduce() {
    return allReduce;
  }

  /** The device to compute on: the GPU Spark assigned to this task, else the CPU. */
  public RankDevice device() {
    return device;
  }

  /** Reports that reach the driver's log while the stage runs. */
  public MetricsSink metrics() {
    return metrics;
  }

  public boolean hasCheckpoints() {
    return checkpoints != null;
  }

  /** The run's shared checkpoint directory ({@link DataParallelSettings#checkpointDir()}). */
  public CheckpointStore checkpoints() {
    if (checkpoints == null) {
      throw new IllegalStateException("this run has no checkpoint directory (DataParallelSettings.checkpointDir)");
    }
    return checkpoints;
  }

  /**
   * The checkpoint every rank must resume from: the newest complete one when the stage started, as rank 0 saw it
   * and told the others (so ranks never resume from different steps). Empty on a fresh run.
   */
  public OptionalLong resumeStep() {
    return resumeStep;
  }

  /**
   * Throws if Spark has cancelled this task (the stage failed elsewhere, or the job was cancelled): call it
   * between steps so a rank stops computing for a stage that is already lost.
   */
  public void checkCancelled() {
    task.killTaskIfInterrupted();
  }
}
