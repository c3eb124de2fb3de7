package org.mlmspark.pipeline;

import java.time.Duration;
import java.util.Properties;
import org.mlmspark.preprocess.PreprocessSettings;
import org.mlmspark.train.job.TrainRun;

/**
 * What a pipeline run does: its own settings and the two steps' typed settings. Where the data and the trained
 * model go, and whether training resumes, are the pipeline's to decide per run.
 *
 * @param output where the pipeline keeps data, runs and the published model
 * @param hubModelId the hub repository the published model is pushed to, or null
 * @param preprocess the preprocessing step (its output is replaced by the run's data directory)
 * @param train the training step (its data, output and resume are replaced per run)
 * @param dataSettingsHash hash of the settings that shape the preprocessed data
 * @param runSettingsHash hash of the settings that shape the trained model and the publishing decision
 * @param recorded every setting given, kept with each run's record
 */
public record PipelineConfig(
    String output,
    Duration lockStaleAfter,
    EvaluationGate gate,
    String hubModelId,
    boolean hubPrivateRepo,
    PreprocessSettings preprocess,
    TrainRun train,
    String dataSettingsHash,
    String runSettingsHash,
    Properties recorded) {}
