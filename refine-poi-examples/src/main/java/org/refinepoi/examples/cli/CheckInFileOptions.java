package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.refinepoi.core.data.CheckInDataset;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The required check-in file of {@code eval}, {@code stats}, {@code ids} and {@code bench rec}:
 * {@code --data FILE} with its {@link LoadingOptions} (a picocli mixin).
 */
final class CheckInFileOptions {

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE",
      description = "The check-in file (TSMC2014 .tsv/.txt or preprocessed GETNext/LLM4POI .csv).")
  Path file;

  @Mixin LoadingOptions loading;

  /** Checks that the file exists, before anything heavy, so a typo fails at once. */
  void check(CommandSpec spec) {
    CliOptions.inputFile(spec, "--data", file);
  }

  /** Loads the file and prints its load summary; see {@link CheckInFiles#load}. */
  CheckInDataset load(CommandSpec spec, PrintWriter out) throws IOException {
    check(spec);
    return CheckInFiles.load(spec, file, loading, out);
  }
}
