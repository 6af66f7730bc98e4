package org.refinepoi.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.refinepoi.pipeline.experiment.ExperimentConfig;
import org.refinepoi.pipeline.experiment.ExperimentConfigFile;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}: every experiment setting from a JSON or YAML file (the keys of the {@code
 * "config"} block that {@code metrics.json} and a model's provenance record), for the commands that
 * train ({@code experiment}/{@code bench rec}, {@code demo}, {@code train}). A flag given on the
 * command line wins over the file.
 */
final class ConfigFileOption {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Experiment settings from a JSON or YAML file (the keys of metrics.json's \"config\");"
              + " flags given on the command line win.")
  Path file;

  /** Whether a file was given. */
  boolean given() {
    return file != null;
  }

  /** Checks that the file exists and is readable, before any heavy work. */
  void check(CommandSpec spec) {
    if (file != null) {
      CliOptions.inputFile(spec, "--config", file);
    }
  }

  /** Applies the file (if any) to a builder. */
  ExperimentConfig.Builder apply(ExperimentConfig.Builder builder) throws IOException {
    return file == null ? builder : ExperimentConfigFile.apply(file, builder);
  }
}
