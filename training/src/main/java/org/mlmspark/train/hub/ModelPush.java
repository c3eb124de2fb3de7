package org.mlmspark.train.hub;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mlmspark.hub.HubClient;
import org.mlmspark.hub.HubUploader;
import org.mlmspark.hub.HubUploader.UploadFile;
import org.mlmspark.model.io.Checkpoints;
import org.mlmspark.model.io.ModelDirectory;
import org.mlmspark.train.report.ModelCard;

/**
 * Pushes a model directory to a Hub model repository as HF Trainer's {@code push_to_hub} does: the repository is
 * created first (kept if it exists), then {@code config.json}, the weights (single file or shards with their index),
 * the tokenizer files and the model card go up in one commit.
 */
public final class ModelPush {
  public static final String DEFAULT_REVISION = HubClient.DEFAULT_REVISION;
  /** Where the {@code checkpoint} strategy puts the newest checkpoint, as HF does. */
  public static final String LAST_CHECKPOINT = "last-checkpoint";

  private final HubUploader uploader;
  private final String repoId;

  private ModelPush(HubUploader uploader, String repoId) {
    this.uploader = uploader;
    this.repoId = repoId;
  }

  /**
   * Resolves the repository id and creates the repository, before any training, so a bad token or name fails at
   * once. {@code hubModelId} null means the output directory's name; a name without namespace goes under the
   * token's account (HF's {@code get_full_repo_name}).
   */
  public static ModelPush prepare(HubUploader uploader, String hubModelId, String outputName, boolean privateRepo)
      throws IOException {
    String name = hubModelId == null ? outputName : hubModelId;
    if (!HubClient.isRepoId(name)) {
      throw new IllegalArgumentException("'" + name + "' is not a hub repository name (letters, digits, '-', '_',"
          + " '.'; USER/NAME or NAME)" + (hubModelId == null ? ": pass --hub-model-id" : ""));
    }
    String repoId = name.contains("/") ? name : uploader.whoami() + "/" + name;
    uploader.createRepo(repoId, privateRepo);
    return new ModelPush(uploader, repoId);
  }

  public String repoId() {
    return repoId;
  }

  /** The repository name alone: the model's name in its card. */
  public String modelName() {
    return repoId.substring(repoId.indexOf('/') + 1);
  }

  /**
   * Commits the model files of {@code modelDir} (its {@code README.md} included when there is one, else
   * {@code card}), and with {@code checkpoint} non-null every file of that checkpoint under
   * {@code last-checkpoint/}.
   */
  public HubUploader.Commit push(Path modelDir, Configuration conf, byte[] card, Path checkpoint, String message)
      throws IOException {
    FileSystem fs = modelDir.getFileSystem(conf);
    ModelDirectory model = ModelDirectory.of(modelDir, conf);
    List<UploadFile> files = new ArrayList<>();
    List<String> names = new ArrayList<>(List.of(Checkpoints.CONFIG));
    names.addAll(Checkpoints.weightFiles(model));
    if (model.has(Checkpoints.WEIGHTS_INDEX)) {
      names.add(Checkpoints.WEIGHTS_INDEX);
    }
    names.addAll(Checkpoints.TOKENIZER_FILES);
    for (String name : names) {
      Path file = new Path(model.root(), name);
      if (fs.exists(file)) {
        files.add(file(fs, file, name));
      }
    }
    Path readme = new Path(model.root(), ModelCard.FILE);
    if (fs.exists(readme)) {
      files.add(file(fs, readme, ModelCard.FILE));
    } else if (card != null) {
      files.add(new UploadFile(ModelCard.FILE, card.length, () -> new java.io.ByteArrayInputStream(card)));
    }
    if (checkpoint != null) {
      FileSystem checkpointFs = checkpoint.getFileSystem(conf);
      for (FileStatus status : checkpointFs.listStatus(checkpoint)) {
        if (status.isFile() && !status.getPath().getName().endsWith(".crc")) {
          files.add(file(checkpointFs, status.getPath(), LAST_CHECKPOINT + "/" + status.getPath().getName()));
        }
      }
    }
    return uploader.upload(repoId, DEFAULT_REVISION, files, message);
  }

  private static UploadFile file(FileSystem fs, Path path, String name) throws IOException {
    return new UploadFile(name, fs.getFileStatus(path).getLen(), () -> fs.open(path));
  }
}
