package org.mlmspark.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.testing.TestData;

/** The HF tiny-roberta fixture: its model directory and the inputs/outputs HF recorded for it. */
final class TinyRoberta {
  static final ObjectMapper JSON = new ObjectMapper();

  private TinyRoberta() {}

  static Path dir() {
    return TestData.require("fixtures/hf/tiny-roberta");
  }

  static ModelDirectory modelDirectory() throws IOException {
    return ModelDirectory.of(new org.apache.hadoop.fs.Path(dir().resolve("model").toUri()), new Configuration());
  }

  static Checkpoints.Loaded load(NDManager manager) throws IOException {
    return Checkpoints.load(modelDirectory(), manager);
  }

  static JsonNode forwardJson() throws IOException {
    return JSON.readTree(dir().resolve("forward.json").toFile());
  }

  static NDArray longs(NDManager manager, JsonNode rows) {
    int n = rows.size();
    int m = rows.get(0).size();
    long[] values = new long[n * m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        values[i * m + j] = rows.get(i).get(j).asLong();
      }
    }
    return manager.create(values, new ai.djl.ndarray.types.Shape(n, m));
  }
}
