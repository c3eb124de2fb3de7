package org.mlmspark.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mlmspark.model.MaskedLmModel;
import org.mlmspark.model.ModelConfig;
import org.mlmspark.model.NamedParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes HF model directories: what {@code from_pretrained} loads and {@code save_pretrained} writes. */
public final class Checkpoints {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String WEIGHTS_INDEX = "model.safetensors.index.json";
  /** Tokenizer files of the families supported; those present in the source travel with a saved model. */
  public static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
      "special_tokens_map.json", "added_tokens.json", "vocab.json", "merges.txt", "vocab.txt",
      "sentencepiece.bpe.model");

  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Checkpoints() {}

  /** A model and what loading it reported. */
  public record Loaded(MaskedLmModel model, LoadReport report) {}

  public static ModelConfig readConfig(ModelDirectory dir) throws IOException {
    return ModelConfig.parse(dir.read(CONFIG));
  }

  /** Builds the model that {@code config.json} describes and fills it from the directory's safetensors. */
  public static Loaded load(ModelDirectory dir, NDManager manager) throws IOException {
    MaskedLmModel model = MaskedLmModel.create(readConfig(dir), manager);
    return new Loaded(model, loadWeights(model, dir, manager));
  }

  /**
   * Copies every checkpoint tensor into the model parameter of the same name (converted to float32). Tensors
   * with no such parameter are reported unused, parameters with no tensor missing; a shape mismatch fails.
   */
  public static LoadReport loadWeights(MaskedLmModel model, ModelDirectory dir, NDManager manager)
      throws IOException {
    Map<String, NamedParameter> byName = new LinkedHashMap<>();
    model.namedParameters().forEach(p -> byName.put(p.name(), p));
    Set<String> tiedCopies = Set.copyOf(model.family().tiedCopies(model.config()));
    Set<String> loaded = new LinkedHashSet<>();
    List<String> unused = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    for (String file : weightFiles(dir)) {
      try (NDManager scratch = manager.newSubManager(); InputStream in = dir.open(file)) {
        for (NDArray tensor : decode(scratch, in, dir, file)) {
          String name = tensor.getName();
          NamedParameter target = byName.get(name);
          if (target == null) {
            if (!tiedCopies.contains(name)) {
              unused.add(name);
            }
          } else if (!tensor.getShape().equals(target.parameter().getArray().getShape())) {
            mismatched.add(name + ": checkpoint " + tensor.getShape() + ", model "
                + target.parameter().getArray().getShape());
          } else {
            tensor.toType(DataType.FLOAT32, false).copyTo(target.parameter().getArray());
            loaded.add(name);
          }
        }
      }
    }
    if (!mismatched.isEmpty()) {
      throw new CheckpointMismatchException("checkpoint " + dir + " does not fit its config.json:\n  "
          + String.join("\n  ", mismatched));
    }
    List<String> missing = byName.keySet().stream().filter(n -> !loaded.contains(n)).toList();
    LoadReport report = new LoadReport(List.copyOf(unused), missing);
    if (!unused.isEmpty()) {
      LOG.warn("Some weights of the checkpoint at {} were not used when initializing {}: {}", dir,
          model.family().architecture(), unused);
    }
    if (!missing.isEmpty()) {
      LOG.warn("Some weights of {} were not initialized from the checkpoint at {} and are newly initialized: {}",
          model.family().architecture(), dir, missing);
    }
    return report;
  }

  /** The tensors of one safetensors file; a file that is not one (truncated, another format) is named. */
  private static NDList decode(NDManager manager, InputStream in, ModelDirectory dir, String file) {
    try {
      return NDList.decode(manager, in);
    } catch (IllegalArgumentException e) { // DJL's "Malformed data", with the read error as cause when there is one
      throw new CheckpointMismatchException(file + " in " + dir + " is not a readable safetensors file ("
          + (e.getCause() != null ? e.getCause() : e.getMessage()) + ")");
    }
  }

  /** The safetensors files holding the weights: one file, or the shards an index names. */
  public static List<String> weightFiles(ModelDirectory dir) throws IOException {
    if (dir.has(WEIGHTS)) {
      return List.of(WEIGHTS);
    }
    if (dir.has(WEIGHTS_INDEX)) {
      JsonNode weightMap = MAPPER.readTree(dir.read(WEIGHTS_INDEX)).path("weight_map");
      Set<String> shards = new LinkedHashSet<>();
      weightMap.elements().forEachRemaining(file -> shards.add(file.asText()));
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
   * hidden sibling first and renamed into place, so a failed save never leaves a directory that looks complete.
   */
  public static void save(MaskedLmModel model, ModelDirectory tokenizerSource, Path target, Configuration conf)
      throws IOException {
    Path output = new Path(target.toString()); // Path(String) drops a trailing slash, so getName() is the dir
    FileSystem fs = output.getFileSystem(conf);
    fs.setWriteChecksum(false); // no .crc side files: the directory must look exactly like save_pretrained's
    Path parent = output.getParent();
    Path staging = new Path(parent, "." + output.getName() + ".tmp-" + UUID.randomUUID());
    fs.mkdirs(staging);
    try {
      try (OutputStream out = fs.create(new Path(staging, CONFIG), false)) {
        out.write(model.config().toJsonBytes());
      }
      try (OutputStream out = fs.create(new Path(staging, WEIGHTS), false)) {
        safetensors(model).encode(out, NDList.Encoding.SAFETENSORS);
      }
      if (tokenizerSource != null) {
        for (String file : TOKENIZER_FILES) {
          if (tokenizerSource.has(file)) {
            try (InputStream in = tokenizerSource.open(file);
                OutputStream out = fs.create(new Path(staging, file), false)) {
              in.transferTo(out);
            }
          }
        }
      }
      replace(fs, staging, output);
    } finally {
      if (fs.exists(staging)) {
        fs.delete(staging, true);
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

  private static void replace(FileSystem fs, Path staging, Path output) throws IOException {
    Path previous = null;
    if (fs.exists(output)) {
      previous = new Path(output.getParent(), "." + output.getName() + ".old-" + UUID.randomUUID());
      rename(fs, output, previous);
    }
    rename(fs, staging, output);
    if (previous != null) {
      fs.delete(previous, true);
    }
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }
}
