package org.mlmspark.train;

import java.io.IOException;
import java.nio.file.Path;
import org.mlmspark.testing.SharedFixtures;
import org.mlmspark.train.bench.HfTrainRecording;

/** {@code fixtures/hf/tiny-roberta}: HF Trainer's 10 recorded steps ({@link HfTrainRecording}) and its model. */
public final class HfTrainFixture {
  private HfTrainFixture() {}

  public static Path directory() {
    return SharedFixtures.require("fixtures/hf/tiny-roberta");
  }

  public static HfTrainRecording load() throws IOException {
    return HfTrainRecording.read(directory());
  }
}
