package org.mlmspark.train;

import java.io.IOException;
import java.nio.file.Path;
import org.mlmspark.testing.TestData;
import org.mlmspark.train.io.HfTrainRecording;

/**
 * {@code testdata/fixtures/hf/tiny-roberta}: HF Trainer's 10 recorded steps ({@link HfTrainRecording}) and the
 * model they trained.
 */
public final class HfTrainFixture {
  private HfTrainFixture() {}

  public static Path directory() {
    return TestData.require("fixtures/hf/tiny-roberta");
  }

  public static HfTrainRecording load() throws IOException {
    return HfTrainRecording.read(directory());
  }
}
