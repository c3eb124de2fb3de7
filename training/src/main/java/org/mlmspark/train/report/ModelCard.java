package org.mlmspark.train.report;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mlmspark.train.TrainingHistory;
import org.mlmspark.train.TrainingHistory.EvalLog;
import org.mlmspark.train.TrainingSettings;
import org.mlmspark.train.optim.AdamW;
import org.mlmspark.train.optim.LinearWarmupSchedule;

/**
 * The {@code README.md} of a trained model, laid out as HF Trainer's {@code create_model_card} writes it: YAML
 * metadata ({@code library_name}, {@code base_model}, {@code tags}, {@code datasets}, {@code model-index} with the
 * final evaluation), then the model and its base, the training and evaluation data (from the preprocessing
 * manifest), the hyperparameters, the results table, the perplexity and the framework versions.
 */
public final class ModelCard {
  public static final String FILE = "README.md";
  /** The tag that marks models this project trained (HF Trainer writes {@code generated_from_trainer}). */
  public static final String TAG = "mlm-spark";
  private static final Map<String, String> DATASET_NAMES = Map.of("eli5", "ELI5", "eli5_category", "ELI5-Category");

  private ModelCard() {}

  /** One split of the preprocessed data. */
  public record Split(long rows, long blocks, long tokens) implements Serializable {}

  /**
   * What the preprocessing manifest says about the data.
   *
   * @param schema {@code eli5} or {@code eli5_category} (the Hub dataset of that layout), or null if unknown
   */
  public record Data(String schema, long rowsRead, long rowsRejected, String subreddit, Long limit, double testSize,
      long splitSeed, int blockSize, String tokenizer, Split train, Split test) implements Serializable {

    /** Reads {@code manifest.json} as bin/preprocess writes it; absent fields stay empty. */
    public static Data fromManifest(JsonNode manifest) {
      JsonNode settings = manifest.path("settings");
      return new Data(manifest.path("schema").isTextual() ? manifest.path("schema").asText() : null,
          manifest.path("rows").path("read").asLong(), manifest.path("rows").path("rejected").asLong(),
          settings.path("subreddit").isTextual() ? settings.path("subreddit").asText() : null,
          settings.path("limit").isNumber() ? settings.path("limit").asLong() : null,
          settings.path("test_size").asDouble(), settings.path("seed").asLong(), settings.path("block_size").asInt(),
          manifest.path("tokenizer").path("id").asText(null), split(manifest, "train"), split(manifest, "test"));
    }

    private static Split split(JsonNode manifest, String name) {
      JsonNode split = manifest.path("splits").path(name);
      return split.isMissingNode() ? null : new Split(split.path("rows").asLong(), split.path("blocks").asLong(),
          split.path("tokens_in_blocks").asLong());
    }
  }

  /**
   * What a run knows besides its recipe and history.
   *
   * @param modelName the repository name the model is pushed as, else the output directory's name (as HF)
   * @param baseModel the hub id training started from, or null for a local model (trained from scratch)
   * @param versions framework name to version, in the order shown
   */
  public record Facts(String modelName, String baseModel, Data data, int workers, Map<String, String> versions)
      implements Serializable {
    public Facts withModelName(String name) {
      return new Facts(name, baseModel, data, workers, versions);
    }
  }

  /** The card of a run that has trained up to {@code history}'s last step with {@code schedule}. */
  public static String render(Facts facts, TrainingSettings settings, LinearWarmupSchedule schedule,
      TrainingHistory history) {
    EvalLog last = history.evals().isEmpty() ? null : history.evals().get(history.evals().size() - 1);
    StringBuilder card = new StringBuilder("---\n").append(metadata(facts, last)).append("---\n\n");
    card.append("# ").append(facts.modelName()).append("\n\n");
    card.append(facts.baseModel() == null ? "This model was trained from scratch on "
        : "This model is a fine-tuned version of [" + facts.baseModel() + "](https://huggingface.co/"
            + facts.baseModel() + ") on ");
    card.append(datasetPhrase(facts.data())).append('\n');
    if (last != null) {
      card.append("It achieves the following results on the evaluation set:\n");
      card.append("- Loss: ").append(round(last.loss())).append('\n');
      card.append("- Perplexity: ").append(String.format(Locale.ROOT, "%.2f", last.perplexity())).append('\n');
    }
    card.append("\n## Model description\n\n").append("A masked language model (fill-mask), trained with mlm-spark:"
        + " the recipe of the Hugging Face guide \"masked language modeling\" (random masking of 15 % of the tokens,"
        + " 80 % of them replaced by the mask token, 10 % by a random token) with HF Trainer's numerics, in DJL"
        + " (PyTorch engine). Load it with `pipeline(\"fill-mask\", model=...)` or `bin/fill-mask --model ...`.\n");
    card.append("\n## Intended uses & limitations\n\nMore information needed\n");
    card.append("\n## Training and evaluation data\n\n").append(dataSection(facts.data()));
    card.append("\n## Training procedure\n\n### Training hyperparameters\n\n")
        .append("The following hyperparameters were used during training:\n");
    hyperparameters(settings, schedule, facts.workers())
        .forEach((name, value) -> card.append("- ").append(name).append(": ").append(value).append('\n'));
    card.append("\n### Training results\n\n");
    if (last == null) {
      card.append("No evaluation: the data has no test split.\n");
    } else {
      card.append(resultsTable(history)).append("\nPerplexity: ")
          .append(String.format(Locale.ROOT, "%.2f", last.perplexity())).append('\n');
    }
    card.append("\n### Framework versions\n\n");
    facts.versions().forEach((name, version) -> card.append("- ").append(name).append(' ').append(version)
        .append('\n'));
    return card.toString();
  }

  private static String metadata(Facts facts, EvalLog last) {
    StringBuilder yaml = new StringBuilder("library_name: transformers\n");
    if (facts.baseModel() != null) {
      yaml.append("base_model: ").append(quoted(facts.baseModel())).append('\n');
    }
    yaml.append("tags:\n- fill-mask\n- ").append(TAG).append('\n');
    String dataset = facts.data().schema();
    if (dataset != null) {
      yaml.append("datasets:\n- ").append(quoted(dataset)).append('\n');
    }
    yaml.append("pipeline_tag: fill-mask\n");
    yaml.append("model-index:\n- name: ").append(quoted(facts.modelName())).append('\n');
    if (last == null || dataset == null) {
      yaml.append("  results: []\n");
      return yaml.toString();
    }
    yaml.append("  results:\n");
    yaml.append("  - task:\n      name: Masked Language Modeling\n      type: fill-mask\n");
    yaml.append("    dataset:\n      name: ").append(quoted(DATASET_NAMES.getOrDefault(dataset, dataset)))
        .append("\n      type: ").append(quoted(dataset)).append("\n      split: test\n");
    yaml.append("    metrics:\n");
    yaml.append("    - name: Loss\n      type: loss\n      value: ").append(number(last.loss())).append('\n');
    yaml.append("    - name: Perplexity\n      type: perplexity\n      value: ").append(number(last.perplexity()))
        .append('\n');
    return yaml.toString();
  }

  private static String datasetPhrase(Data data) {
    String name = data.schema() == null ? "an unknown dataset" : "the " + data.schema() + " dataset";
    return name + (data.subreddit() == null ? "." : " (r/" + data.subreddit() + ").");
  }

  private static String dataSection(Data data) {
    StringBuilder text = new StringBuilder();
    text.append("Preprocessed by `bin/preprocess` as the guide does: the answers of each question flattened and"
        + " joined, tokenized, concatenated and cut into blocks of ").append(data.blockSize())
        .append(" tokens (`group_texts`).\n\n");
    text.append("- dataset: ").append(data.schema() == null ? "unknown" : data.schema())
        .append(data.subreddit() == null ? "" : ", subreddit " + data.subreddit())
        .append(data.limit() == null ? "" : ", the first " + data.limit() + " questions").append('\n');
    text.append("- questions read: ").append(data.rowsRead()).append(" (").append(data.rowsRejected())
        .append(" rejected as malformed)\n");
    text.append("- split: ").append(round(data.testSize())).append(" of the questions in the test split, by"
        + " question id with seed ").append(data.splitSeed()).append('\n');
    appendSplit(text, "training", data.train());
    appendSplit(text, "evaluation", data.test());
    if (data.tokenizer() != null) {
      text.append("- tokenizer: ").append(data.tokenizer()).append('\n');
    }
    return text.toString();
  }

  private static void appendSplit(StringBuilder text, String name, Split split) {
    if (split != null) {
      text.append("- ").append(name).append(": ").append(split.rows()).append(" questions, ").append(split.blocks())
          .append(" blocks, ").append(split.tokens()).append(" tokens\n");
    }
  }

  /** HF's names and order ({@code extract_hyperparameters_from_trainer}), plus the masking and clipping. */
  static Map<String, String> hyperparameters(TrainingSettings settings, LinearWarmupSchedule schedule, int workers) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("learning_rate", pythonFloat(settings.learningRate()));
    values.put("train_batch_size", Integer.toString(settings.batchSize()));
    values.put("eval_batch_size", Integer.toString(settings.batchSize()));
    values.put("seed", Long.toString(settings.seed()));
    if (workers > 1) {
      values.put("distributed_type", "multi-worker data parallel (Spark barrier stage, ring all-reduce)");
      values.put("num_devices", Integer.toString(workers));
    }
    if (settings.gradientAccumulationSteps() > 1) {
      values.put("gradient_accumulation_steps", Integer.toString(settings.gradientAccumulationSteps()));
    }
    int total = settings.batchSize() * workers * settings.gradientAccumulationSteps();
    if (total != settings.batchSize()) {
      values.put("total_train_batch_size", Integer.toString(total));
    }
    AdamW.Hyperparameters adam = settings.adamW();
    values.put("optimizer", "AdamW (torch.optim.AdamW's update) with betas=(" + pythonFloat(adam.beta1()) + ","
        + pythonFloat(adam.beta2()) + ") and epsilon=" + pythonFloat(adam.epsilon()) + ", weight_decay="
        + pythonFloat(adam.weightDecay()) + " except on biases and LayerNorm weights");
    values.put("lr_scheduler_type", "linear");
    if (schedule.warmupSteps() != 0) {
      values.put("lr_scheduler_warmup_steps", Long.toString(schedule.warmupSteps()));
    }
    if (settings.maxSteps() > 0) {
      values.put("training_steps", Long.toString(settings.maxSteps()));
    } else {
      values.put("num_epochs", pythonFloat(settings.epochs()));
    }
    values.put("max_grad_norm", pythonFloat(settings.maxGradNorm()));
    values.put("mlm_probability", pythonFloat(settings.mlmProbability()));
    return values;
  }

  /** HF's {@code make_markdown_table}: one row per evaluation, padded columns, centred separators. */
  static String resultsTable(TrainingHistory history) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("Training Loss", "Epoch", "Step", "Validation Loss", "Perplexity"));
    long previous = 0;
    for (EvalLog eval : history.evals()) {
      double training = history.meanLoss(previous, eval.step());
      rows.add(List.of(Double.isNaN(training) ? "No log" : round(training), round(eval.epoch()),
          Long.toString(eval.step()), round(eval.loss()), round(eval.perplexity())));
      previous = eval.step();
    }
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder table = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      for (int i = 0; i < widths.length; i++) {
        table.append("| ").append(rows.get(r).get(i)).append(" ".repeat(widths[i] - rows.get(r).get(i).length() + 1));
      }
      table.append("|\n");
      if (r == 0) {
        for (int width : widths) {
          table.append("|:").append("-".repeat(width)).append(':');
        }
        table.append("|\n");
      }
    }
    return table.toString();
  }

  /** HF's {@code _maybe_round}: four decimals when there are more. */
  static String round(double value) {
    String plain = pythonFloat(value);
    int dot = plain.indexOf('.');
    boolean longer = dot >= 0 && !plain.contains("e") && plain.length() - dot - 1 > 4;
    return longer ? String.format(Locale.ROOT, "%.4f", value) : plain;
  }

  /** A float as Python prints it: {@code 2e-05}, {@code 0.15}, {@code 3.0}. */
  static String pythonFloat(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
    }
    double magnitude = Math.abs(value);
    if (value == 0 || (magnitude >= 1e-4 && magnitude < 1e16)) {
      String plain = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String shortest = Double.toString(value); // d.dddE-n
    String mantissa = shortest.substring(0, shortest.indexOf('E'));
    int exponent = Integer.parseInt(shortest.substring(shortest.indexOf('E') + 1));
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
  }

  /** A YAML number; YAML 1.1 (PyYAML) reads {@code 1e-05} as a string, so exponents get a mantissa dot. */
  private static String number(double value) {
    String text = pythonFloat(value);
    if (text.contains("e") && !text.substring(0, text.indexOf('e')).contains(".")) {
      text = text.replace("e", ".0e");
    }
    return text;
  }

  /** A YAML double-quoted scalar (JSON string escapes are valid there). */
  private static String quoted(String text) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }
}
