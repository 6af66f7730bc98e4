package org.refinepoi.examples;

import org.refinepoi.examples.cli.BenchCommand;
import org.refinepoi.examples.cli.CliErrors;
import org.refinepoi.examples.cli.DemoCommand;
import org.refinepoi.examples.cli.EvalCommand;
import org.refinepoi.examples.cli.ExportCommand;
import org.refinepoi.examples.cli.IdsCommand;
import org.refinepoi.examples.cli.ScoreCommand;
import org.refinepoi.examples.cli.StatsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code refine-poi} command-line app: the README's main job, statistics, evaluation,
 * benchmarks.
 */
@Command(
    name = "refine-poi",
    mixinStandardHelpOptions = true,
    version = "refine-poi 0.1.0-SNAPSHOT",
    description = "Next-POI recommendation with topology-aware semantic IDs and ranking rewards.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:success",
      "1:the command failed on its input (a malformed or corrupt file, an I/O error, not enough"
          + " memory)",
      "2:the command line is wrong (an option value, a missing input, an output that cannot be"
          + " written)"
    },
    subcommands = {
      DemoCommand.class,
      StatsCommand.class,
      EvalCommand.class,
      IdsCommand.class,
      BenchCommand.class,
      ExportCommand.class,
      ScoreCommand.class
    })
public final class RefinePoiCli {

  private RefinePoiCli() {}

  /**
   * The app's command line as {@link #main} runs it: every command's failures go through one
   * handler, which prints one line naming the file and the reason (never a stack trace for a user
   * error) with the exit status of its kind (see the usage's exit status list).
   */
  public static CommandLine commandLine() {
    return CliErrors.install(new CommandLine(new RefinePoiCli()));
  }

  /** Runs the app and exits with its status. */
  public static void main(String[] args) {
    System.exit(CliErrors.run(commandLine(), args));
  }
}
