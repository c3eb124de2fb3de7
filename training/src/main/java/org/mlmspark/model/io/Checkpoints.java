package org.mlmspark.model.io;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mlmspark.model.DeviceCopies;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelFamilies;
import org.mlmspark.model.ModelSize;
import org.mlmspark.model.blocks.NamedParameter;
import org.mlmspark.model.config.ModelConfig;
import org.mlmspark.storage.AtomicOutput;
import org.mlmspark.storage.ContainedFiles;
import org.mlmspark.support.Json;
import org.mlmspark.tokenizer.TokenizerFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes HF model directories: what {@code from_pretrained} loads and {@code save_pretrained} writes. */
public final class Checkpoints {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String WEIGHTS_INDEX = "model.safetensors.index.json";
  /** Tokenizer files of the families supported; those present in the source travel with a saved model. */
  public static final List<String> TOKENIZER_FILES = List.of(TokenizerFiles.TOKENIZER, TokenizerFiles.CONFIG,
      "special_tokens_map.json", "added_tokens.json", "vocab.json", "merges.txt", "vocab.txt",
      "sentencepiece.bpe.model");

  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  private static final ObjectMapper MAPPER = Json.mapper();

  private Checkpoints() {}

  /** A model and what loading it reported. */
  public record Loaded(MaskedLmModel model, LoadReport report) {}

  /** The directory's {@code config.json}; a refusal names the file and the field. */
  public static ModelConfig readConfig(ModelDirectory dir) throws IOException {
    String source = dir + "/" + CONFIG;
    ModelConfig config = ModelFamilies.readConfig(dir.read(CONFIG), source);
    ModelSize.requireFits(config, source, ModelSize.availableBytes());
    return config;
  }

  /** Builds the model that {@code config.json} describes and fills it from the directory's safetensors. */
  public static Loaded load(ModelDirectory dir, NDManager manager) throws IOException {
    MaskedLmModel model = MaskedLmModel.create(readConfig(dir), manager);
    return new Loaded(model, loadWeights(model, dir, manager));
  }

  /**
   * Copies every checkpoint tensor into the model parameter of the same name, converted to float32 as
   * {@code from_pretrained} converts floating-point checkpoints. Tensors with no such parameter are reported
   * unused (tied copies silently skipped); a parameter the checkpoint lacks, a shape mismatch, a dtype that is not
   * floating-point or a file that breaks the safetensors rules ({@link Safetensors}) is refused: a model that
   * would predict from random weights is not loaded.
   */
  public static LoadReport loadWeights(MaskedLmModel model, ModelDirectory dir, NDManager manager)
      throws IOException {
    Map<String, NamedParameter> byName = new LinkedHashMap<>();
    model.namedParameters().forEach(p -> byName.put(p.name(), p));
    Set<String> tiedCopies = Set.copyOf(model.family().tiedCopies(model.config()));
    Set<String> loaded = new LinkedHashSet<>();
    List<String> unused = new ArrayList<>();
    for (String file : weightFiles(dir)) {
      String source = dir + "/" + file;
      long length = dir.length(file);
      try (InputStream in = dir.open(file)) {
        Safetensors.read(in, length, source, new Safetensors.TensorSink() {
          @Override
          public boolean wants(Safetensors.TensorInfo tensor) {
            NamedParameter target = byName.get(tensor.name());
            if (target == null) {
              if (!tiedCopies.contains(tensor.name())) {
                unused.add(tensor.name());
              }
              return false;
            }
            if (!loaded.add(tensor.name())) {
              throw new CheckpointMismatchException(source + " holds " + tensor.name()
                  + " a second time (also in an earlier shard)");
            }
            Shape expected = target.parameter().getArray().getShape();
            if (!new Shape(tensor.shape()).equals(expected)) {
              throw new CheckpointMismatchException("checkpoint " + dir + " does not fit its config.json: "
                  + tensor.name() + ": checkpoint " + new Shape(tensor.shape()) + ", model " + expected);
            }
            return true;
          }

          @Override
          public void accept(Safetensors.TensorInfo tensor, ByteBuffer data) {
            ByteBuffer values = Safetensors.toFloat32(tensor, data, source);
            try (NDManager scratch = manager.newSubManager()) {
              scratch.create(values, new Shape(tensor.shape()), DataType.FLOAT32)
                  .copyTo(byName.get(tensor.name()).parameter().getArray());
            }
          }
        });
      }
    }
    List<String> missing = byName.keySet().stream().filter(n -> !loaded.contains(n)).toList();
    if (!missing.isEmpty()) {
      throw new CheckpointMismatchException("checkpoint " + dir + " lacks " + missing.size() + " of the "
          + byName.size() + " parameters of " + model.family().architecture() + " (" + abbreviate(missing)
          + "); refused rather than predicting from random weights");
    }
    if (!unused.isEmpty()) {
      LOG.warn("Some weights of the checkpoint at {} were not used when initializing {}: {}", dir,
          model.family().architecture(), unused);
    }
    return new LoadReport(List.copyOf(unused));
  }

  private static String abbreviate(List<String> names) {
    int shown = Math.min(names.size(), 5);
    return String.join(", ", names.subList(0, shown)) + (names.size() > shown ? ", ..." : "");
  }

  /** The safetensors files holding the weights: one file, or the shards an index names. */
  public static List<String> weightFiles(ModelDirectory dir) throws IOException {
    if (dir.has(WEIGHTS)) {
      return List.of(WEIGHTS);
    }
    if (dir.has(WEIGHTS_INDEX)) {
      JsonNode weightMap;
      try {
        weightMap = MAPPER.readTree(dir.read(WEIGHTS_INDEX)).path("weight_map");
      } catch (JsonProcessingException e) {
        throw new CheckpointMismatchException(dir + "/" + WEIGHTS_INDEX + " is not valid JSON ("
            + e.getOriginalMessage() + ")");
      }
      Set<String> shards = new LinkedHashSet<>();
      for (JsonNode file : (Iterable<JsonNode>) weightMap::elements) {
        // Shard names must stay inside the directory, like every file it names.
        if (!file.isTextual() || !ContainedFiles.isPlainRelative(file.textValue())) {
          throw new CheckpointMismatchException(dir + "/" + WEIGHTS_INDEX + " names the shard " + file
              + ", not a plain file name inside the directory; refused");
        }
        shards.add(file.textValue());
      }
      if (shards.isEmpty()) {
        throw new CheckpointMismatchException(WEIGHTS_INDEX + " in " + dir + " names no shard files");
      }
      return List.copyOf(shards);
    }
    if (dir.has("pytorch_model.bin") || dir.has("pytorch_model.bin.index.json")) {
      throw new CheckpointMismatchException(dir + " holds only pytorch_model.bin, a Python pickle: reading it"
          + " would run whatever code it contains, so it is refused. Convert it once, where you trust the file:\n"
          + "  python -c \"from transformers import AutoModelForMaskedLM as M;"
          + " M.from_pretrained('DIR').save_pretrained('DIR')\"\n"
          + "which writes model.safetensors next to it.");
    }
    throw new CheckpointMismatchException("no " + WEIGHTS + " or " + WEIGHTS_INDEX + " in " + dir);
  }

  /**
   * Writes {@code config.json}, {@code model.safetensors} (HF names, tied tensors once, as save_pretrained) and
   * the tokenizer files of {@code tokenizerSource} (may be null) into {@code output}. Everything is written to a
   * hidden sibling first and renamed into place ({@link AtomicOutput#writeDirectory}), so a failed save never
   * leaves a directory that looks complete.
   */
  public static void save(MaskedLmModel model, ModelDirectory tokenizerSource, Path target, Configuration conf)
      throws IOException {
    Path output = new Path(target.toString()); // Path(String) drops a trailing slash, so getName() is the dir
    FileSystem fs = output.getFileSystem(conf);
    Path staging = AtomicOutput.uniqueTemporary(output.getParent(), "." + output.getName() + ".tmp");
    AtomicOutput.writeDirectory(fs, output, staging, null, dir -> write(model, tokenizerSource, dir, conf));
  }

  /**
   * Writes the files {@link #save} writes into the existing directory {@code directory}, in place: for a caller
   * that commits the directory itself.
   */
  public static void write(MaskedLmModel model, ModelDirectory tokenizerSource, Path directory, Configuration conf)
      throws IOException {
    FileSystem fs = directory.getFileSystem(conf);
    fs.setWriteChecksum(false); // no .crc side files: the directory must look exactly like save_pretrained's
    try (OutputStream out = fs.create(new Path(directory, CONFIG), false)) {
      out.write(model.config().toJsonBytes());
    }
    try (OutputStream out = fs.create(new Path(directory, WEIGHTS), false);
        NDManager host = NDManager.newBaseManager(Device.cpu())) {
      DeviceCopies.onHost(safetensors(model), host).encode(out, NDList.Encoding.SAFETENSORS);
    }
    if (tokenizerSource != null) {
      for (String file : TOKENIZER_FILES) {
        if (tokenizerSource.has(file)) {
          try (InputStream in = tokenizerSource.open(file);
              OutputStream out = fs.create(new Path(directory, file), false)) {
            in.transferTo(out);
          }
        }
      }
    }
  }

  /** The tensors as save_pretrained lays them out: named by checkpoint name, sorted like safetensors' header. */
  static NDList safetensors(MaskedLmModel model) {
    NDList list = new NDList();
    model.namedParameters().stream()
        .sorted(Comparator.comparing(NamedParameter::name))
        .forEach(p -> {
          NDArray array = p.parameter().getArray();
          array.setName(p.name());
          list.add(array);
        });
    return list;
  }
}
