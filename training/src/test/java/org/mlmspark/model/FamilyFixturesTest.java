package org.mlmspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;

/** BERT and DistilBERT against HF outputs made by tools/make_family_fixtures.py (committed test resources). */
class FamilyFixturesTest {

  @ParameterizedTest
  @ValueSource(strings = {"tiny-bert", "tiny-distilbert"})
  void matchesHf(String name) throws Exception {
    Path dir = Path.of(getClass().getResource("/hf/" + name).toURI());
    JsonNode json = TinyRoberta.JSON.readTree(dir.resolve("forward.json").toFile());
    try (NDManager manager = NDManager.newBaseManager()) {
      Checkpoints.Loaded loaded = Checkpoints.load(
          ModelDirectory.of(new org.apache.hadoop.fs.Path(dir.resolve("model").toUri()), new Configuration()),
          manager);
      assertEquals(List.of(), loaded.report().unused());
      ForwardFixture fixture = new ForwardFixture(json, manager);
      fixture.assertLogits(loaded.model());
      fixture.assertLoss(loaded.model());
      fixture.assertGradientNorm(loaded.model(), json.get("grad_norm").asDouble());
    }
  }
}
