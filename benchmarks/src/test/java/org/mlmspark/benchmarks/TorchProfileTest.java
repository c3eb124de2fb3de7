package org.mlmspark.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchProfileTest {
  /** The legacy trace layout DJL's profiler writes: a JSON array of complete ("X") events in µs. */
  @Test
  void selfTimeIsDurationLessNestedCalls(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("trace.json");
    Files.writeString(trace, """
        [
          {"name": "AddmmBackward0", "ph": "X", "ts": 0, "dur": 100, "tid": 1},
          {"name": "aten::mm", "ph": "X", "ts": 10, "dur": 30, "tid": 1},
          {"name": "aten::mm", "ph": "X", "ts": 50, "dur": 40, "tid": 1},
          {"name": "aten::copy_", "ph": "X", "ts": 60, "dur": 5, "tid": 1},
          {"name": "aten::mm", "ph": "X", "ts": 55, "dur": 500, "tid": 2},
          {"name": "profiler marker", "ph": "i", "ts": 0, "tid": 1}
        ]
        """);
    Map<String, TorchProfile.Operator> byName = TorchProfile.operators(trace).stream()
        .collect(Collectors.toMap(TorchProfile.Operator::name, op -> op));
    assertEquals(0.030, byName.get("AddmmBackward0").selfMillis(), 1e-9); // 100 − 30 − 40
    assertEquals(0.565, byName.get("aten::mm").selfMillis(), 1e-9); // 30 + (40 − 5) + 500 on another thread
    assertEquals(3, byName.get("aten::mm").calls());
    assertEquals(0.005, byName.get("aten::copy_").selfMillis(), 1e-9);
    assertEquals(List.of("aten::mm", "AddmmBackward0", "aten::copy_"),
        TorchProfile.operators(trace).stream().map(TorchProfile.Operator::name).toList());
  }
}
