package org.mlmspark.inference;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.cli.Commands;
import org.mlmspark.model.cli.HadoopConf;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/fill-mask}: prints, per text, the JSON that {@code pipeline("fill-mask")(text)} returns. */
@Command(name = "fill-mask", mixinStandardHelpOptions = true,
    description = "Predicts the masked word(s) of each TEXT; one JSON array per text, in HF pipeline format.")
public final class FillMaskCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--model", required = true, paramLabel = "ID|DIR",
      description = "model directory (local or s3a://) with config.json, model.safetensors, tokenizer.json")
  String model;

  @Option(names = "--top-k", defaultValue = "5", description = "predictions per mask (default: ${DEFAULT-VALUE})")
  int topK;

  @Parameters(arity = "1..*", paramLabel = "TEXT", description = "text with the model's mask token, e.g. <mask>")
  List<String> texts;

  @Override
  public Integer call() throws Exception {
    if (topK < 1) {
      throw new IllegalArgumentException("--top-k must be at least 1");
    }
    Configuration conf = HadoopConf.fromSystemProperties();
    ModelDirectory dir = ModelDirectory.resolve(model, conf);
    try (NDManager manager = NDManager.newBaseManager()) {
      MaskedLmModel lm = Checkpoints.load(dir, manager).model();
      try (MaskedLmTokenizer tokenizer = MaskedLmTokenizer.open(dir, lm.family().maxSequenceLength(lm.config()))) {
        FillMask fillMask = new FillMask(lm, tokenizer, manager);
        texts.forEach(fillMask::requireMask); // every text checked before any output
        for (String text : texts) {
          List<List<FillMask.Prediction>> perMask = fillMask.predict(text, topK);
          System.out.println(JSON.writeValueAsString(perMask.size() == 1 ? perMask.get(0) : perMask));
        }
      }
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(Commands.run(new FillMaskCommand(), args));
  }
}
