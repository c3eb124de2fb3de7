package org.mlmspark.distributed.toy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.mlmspark.distributed.DataParallel;
import org.mlmspark.distributed.DataParallelException;
import org.mlmspark.distributed.DataParallelSettings;

/**
 * The toy trainer as a Spark application, for spark-submit: {@code ToyTrainingApp RESULT_JSON CHECKPOINT_DIR
 * [FAIL_RANK FAIL_STEP]} trains {@link LinearToy#PLAN} on 2 ranks (checkpointing every 5 steps), halting the
 * executor JVM of FAIL_RANK at FAIL_STEP in the first stage attempt, and writes every rank's result as JSON.
 */
public final class ToyTrainingApp {
  private ToyTrainingApp() {}

  public static void main(String[] args) throws Exception {
    LinearRankFunction.Fault fault = args.length > 2 ? new LinearRankFunction.Fault(Integer.parseInt(args[2]),
        Long.parseLong(args[3]), LinearRankFunction.FaultMode.HALT) : null;
    SparkSession spark = SparkSession.builder().appName("toy data-parallel").getOrCreate();
    int status = 0;
    try {
      List<LinearRankFunction.Result> results = DataParallel.run(spark,
          DataParallelSettings.of(2, "toy").withCheckpointDir(args[1])
              .withCollectiveTimeout(Duration.ofSeconds(60)).withSlotWait(Duration.ofSeconds(90)),
          new LinearRankFunction(LinearToy.PLAN, 5, fault));
      new ObjectMapper().writeValue(Path.of(args[0]).toFile(), results);
    } catch (DataParallelException e) {
      System.err.println("error: " + e.getMessage());
      status = 1;
    } finally {
      spark.stop();
    }
    System.exit(status);
  }
}
