package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.synth.SyntheticCity;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The check-ins of {@code train} and {@code recommend}: a file, or the demo's synthetic city
 * (deterministic from its seed, so {@code recommend --synthetic} sees the city {@code train
 * --synthetic} trained on).
 */
final class CheckInSource {

  static final class Choice {
    @Option(
        names = "--data",
        paramLabel = "FILE",
        description = "A check-in file (TSMC2014 .tsv/.txt or preprocessed GETNext/LLM4POI .csv).")
    Path data;

    @Option(
        names = "--synthetic",
        description =
            "Use the demo's synthetic city (1,000 users, 3,000 POIs, 100,000 check-ins) instead"
                + " of a file.")
    boolean synthetic;
  }

  @ArgGroup(multiplicity = "1")
  Choice choice;

  @Mixin LoadingOptions loading;

  @Option(
      names = "--city-seed",
      defaultValue = "7",
      paramLabel = "S",
      description = "Seed of the synthetic city (default ${DEFAULT-VALUE}, the demo's).")
  long citySeed;

  /** Checks the file option before anything heavy. */
  void check(CommandSpec spec) {
    CliOptions.inputFile(spec, "--data", choice.data);
  }

  /** The file, when one was given. */
  Path file() {
    return choice.data;
  }

  /** Loads the file or generates the city, printing one line about it. */
  CheckInDataset load(CommandSpec spec, PrintWriter out) throws IOException {
    if (choice.synthetic) {
      SyntheticCity city =
          SyntheticCity.builder().seed(citySeed).users(1000).pois(3000).checkIns(100_000).build();
      out.println("Synthetic city: " + city);
      return city.generate();
    }
    return CheckInFiles.load(spec, choice.data, loading, out);
  }
}
