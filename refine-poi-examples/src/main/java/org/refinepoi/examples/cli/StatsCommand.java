package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.refinepoi.core.data.CheckInFormat;
import org.refinepoi.core.data.LoadResult;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.SampleMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code refine-poi stats}: loads a check-in file, runs the protocol, prints the counts. */
@Command(
    name = "stats",
    header = "Prints a check-in file's statistics under the next-POI protocol.",
    mixinStandardHelpOptions = true,
    description = {
      "Loads a check-in file, applies the next-POI protocol (filters, 24 h sessions,",
      "chronological 80/10/10 split, samples) and prints the counts as a Markdown table."
    })
public final class StatsCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private CheckInFileOptions input;

  @Option(
      names = "--sample-mode",
      defaultValue = "last",
      paramLabel = "last|all",
      description =
          "last (default): predict the last check-in of each trajectory; all: every prefix.")
  private String sampleMode;

  @Option(
      names = "--min-checkins",
      defaultValue = "10",
      description = "Minimum check-ins per user and per POI (default: ${DEFAULT-VALUE}).")
  private int minCheckIns;

  /** Creates the command (picocli fills the options). */
  public StatsCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    // Checked before the (possibly long) load, so a typo fails at once.
    SampleMode mode = CliOptions.sampleMode(spec, sampleMode);
    input.check(spec);
    CliOptions.atLeast(spec, "--min-checkins", minCheckIns, 0);
    try {
      CheckInFormat layout = input.loading.layout(input.file);
      LoadResult loaded = layout.loader().load(input.file, input.loading.loadOptions());
      ProtocolConfig config =
          ProtocolConfig.builder()
              .sampleMode(mode)
              .minCheckInsPerUser(minCheckIns)
              .minCheckInsPerPoi(minCheckIns)
              .build();
      PreparedData prepared = NextPoiProtocol.prepare(loaded.dataset(), config);
      out.println("Layout: " + layout + ". " + loaded.report().summary());
      out.println();
      out.print(prepared.stats().toTable());
      out.flush();
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      return CliOptions.fail(spec, e);
    }
  }
}
