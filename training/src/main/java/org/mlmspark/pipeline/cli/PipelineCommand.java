package org.mlmspark.pipeline.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.mlmspark.Version;
import org.mlmspark.cli.Cli;
import org.mlmspark.cli.UserError;
import org.mlmspark.pipeline.Pipeline;
import org.mlmspark.spark.Sessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code bin/pipeline}: preprocess → train → evaluate → publish from one config file, for cron and other
 * schedulers. The settings' flags ({@code --train.epochs 1}, ...) are added to the command from
 * {@link PipelineSettings}, so {@code --help} lists every one.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
    versionProvider = PipelineCommand.VersionProvider.class,
    description = {
      "Preprocess -> train -> evaluate -> publish, driven by one properties file whose keys are the settings"
          + " below without the leading --; flags override the file.",
      "Does nothing when input and settings are those of the last finished run; resumes a crashed or failed"
          + " run; one run at a time per pipeline.output.",
      ""
    },
    footer = {
      "",
      "Exit codes: 0 published, or up to date (nothing to do; the last line says which);"
          + " 1 a step failed (the next invocation resumes); 2 bad config or missing input;"
          + " 3 another live run holds the lock; 4 the evaluation gate kept the published model."
    })
public final class PipelineCommand implements Callable<Integer>, Cli.Interruptible {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Properties file of settings, e.g. conf/eli5-mlm.properties.")
  java.nio.file.Path config;

  @Option(names = "--force", description = "Run every step, even when input and settings are unchanged.")
  boolean force;

  @Spec CommandSpec spec;

  /** Set once the settings are read. */
  private volatile String output;

  @Override
  public String interruptedLine() {
    return output == null ? "interrupted" : "interrupted: " + output + " left as it was; the next bin/pipeline"
        + " resumes the run";
  }

  public static void main(String[] args) {
    Cli.exit(commandSpec(), args);
  }

  /** @return the exit code */
  public static int run(String... args) {
    return Cli.run(commandSpec(), args);
  }

  public static CommandSpec commandSpec() {
    CommandSpec spec = CommandSpec.forAnnotatedObject(new PipelineCommand());
    for (PipelineSettings.Setting setting : PipelineSettings.all()) {
      spec.addOption(OptionSpec.builder("--" + setting.key())
          .paramLabel(setting.paramLabel())
          .arity(setting.multiValued() ? "1..*" : "1")
          .type(setting.multiValued() ? List.class : String.class)
          .auxiliaryTypes(String.class)
          .description(setting.description())
          .build());
    }
    return spec;
  }

  @Override
  public Integer call() throws IOException {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    Map<String, List<String>> overrides = new LinkedHashMap<>();
    for (PipelineSettings.Setting setting : PipelineSettings.all()) {
      OptionSpec option = parsed.matchedOption("--" + setting.key());
      if (option != null) {
        overrides.put(setting.key(), option.stringValues());
      }
    }
    PipelineSettings settings = PipelineSettings.of(readConfig(), config == null ? "" : config.toString(),
        overrides);
    output = settings.output();
    return new Pipeline(settings.config(), force, Sessions.hadoopConfiguration(), Clock.systemUTC(), System.out).run()
        .exitCode();
  }

  private Properties readConfig() throws IOException {
    Properties properties = new Properties();
    if (config != null) {
      try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (NoSuchFileException e) {
        throw new UserError("config file not found: " + config);
      }
    }
    return properties;
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"mlm-spark pipeline " + Version.VERSION};
    }
  }
}
