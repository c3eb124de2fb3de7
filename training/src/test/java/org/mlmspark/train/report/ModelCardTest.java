package org.mlmspark.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlmspark.testing.TestData;
import org.mlmspark.train.TrainingHistory;

/**
 * The model card against what {@code huggingface_hub.ModelCard} parsed from it ({@code testdata/hub/}, made by
 * {@code tools/hub/parse_model_card.py}).
 */
class ModelCardTest {
  private static final Path FIXTURES = TestData.require("hub");

  @Test
  void rendersTheCardHuggingfaceHubParsed() throws IOException {
    assertEquals(Files.readString(FIXTURES.resolve("model_card/README.md")), ModelCardSample.render());
  }

  @Test
  void huggingfaceHubReadTheBaseModelTheDataAndTheEvaluation() throws IOException {
    JsonNode parsed = new ObjectMapper().readTree(FIXTURES.resolve("model_card_parsed.json").toFile());
    JsonNode metadata = parsed.path("metadata");
    assertEquals("transformers", metadata.path("library_name").asText());
    assertEquals(ModelCardSample.BASE_MODEL, metadata.path("base_model").asText());
    assertEquals("eli5_category", metadata.path("datasets").path(0).asText());
    assertTrue(metadata.path("tags").toString().contains("fill-mask"));
    JsonNode results = parsed.path("eval_results");
    assertEquals(2, results.size());
    double loss = ModelCardSample.EVAL_LOSSES[2];
    for (JsonNode result : results) {
      assertEquals("fill-mask", result.path("task_type").asText());
      assertEquals("eli5_category", result.path("dataset_type").asText());
      assertEquals("test", result.path("dataset_split").asText());
      double expected = result.path("metric_type").asText().equals("loss") ? loss : Math.exp(loss);
      assertEquals(expected, result.path("metric_value").asDouble(), 1e-12, result.toString());
    }
    assertEquals(List.of("# " + ModelCardSample.MODEL_NAME, "## Model description", "## Intended uses & limitations",
        "## Training and evaluation data", "## Training procedure", "### Training hyperparameters",
        "### Training results", "### Framework versions"),
        new ObjectMapper().convertValue(parsed.path("headings"), List.class));
  }

  @Test
  void theResultsTableHasHfsColumnsAndARowPerEvaluation() {
    String table = ModelCard.resultsTable(ModelCardSample.history());
    List<String> lines = table.lines().toList();
    assertEquals(5, lines.size());
    assertEquals("| Training Loss | Epoch | Step | Validation Loss | Perplexity |", lines.get(0));
    assertEquals("|:-------------:|:-----:|:----:|:---------------:|:----------:|", lines.get(1));
    // the training loss of a row is the mean over the steps since the previous evaluation
    double meanFirstEpoch = ModelCardSample.history().meanLoss(0, 146);
    assertTrue(lines.get(2).startsWith(String.format("| %.4f ", meanFirstEpoch)), lines.get(2));
    assertTrue(lines.get(4).contains("| 438 "), lines.get(4));
  }

  @Test
  void hyperparametersUseHfsNamesAndTotals() {
    Map<String, String> values =
        ModelCard.hyperparameters(ModelCardSample.settings(), ModelCardSample.schedule(), 2);
    assertEquals("2e-05", values.get("learning_rate"));
    assertEquals("4", values.get("train_batch_size"));
    assertEquals("8", values.get("total_train_batch_size"));
    assertEquals("2", values.get("num_devices"));
    assertEquals("44", values.get("lr_scheduler_warmup_steps")); // ceil(0.1 x 438), as HF
    assertEquals("3.0", values.get("num_epochs"));
    assertFalse(values.containsKey("gradient_accumulation_steps"));
    assertFalse(ModelCard.hyperparameters(ModelCardSample.settings(), ModelCardSample.schedule(), 1)
        .containsKey("total_train_batch_size"));
  }

  @Test
  void floatsPrintAsPythonPrintsThem() {
    assertEquals("2e-05", ModelCard.pythonFloat(2e-5));
    assertEquals("1e-08", ModelCard.pythonFloat(1e-8));
    assertEquals("0.15", ModelCard.pythonFloat(0.15));
    assertEquals("3.0", ModelCard.pythonFloat(3));
    assertEquals("1.5e+16", ModelCard.pythonFloat(1.5e16));
    assertEquals("2.0582", ModelCard.round(2.0582));
    assertEquals("7.8319", ModelCard.round(Math.exp(2.0582)));
  }

  @Test
  void aModelTrainedFromScratchWithoutTestSplitSaysSo() {
    ModelCard.Facts sample = ModelCardSample.facts();
    ModelCard.Data data = new ModelCard.Data(null, 10, 0, null, null, 0, 42, 128, null,
        new ModelCard.Split(10, 4, 512), null);
    ModelCard.Facts scratch = new ModelCard.Facts("tiny \"model\"", null, data, 1, sample.versions());
    String card = ModelCard.render(scratch, ModelCardSample.settings(), ModelCardSample.schedule(),
        new TrainingHistory());
    assertTrue(card.contains("This model was trained from scratch on an unknown dataset."), card);
    assertFalse(card.contains("base_model"));
    assertTrue(card.contains("- name: \"tiny \\\"model\\\"\"\n  results: []\n"), card);
    assertTrue(card.contains("No evaluation: the data has no test split."), card);
  }
}
