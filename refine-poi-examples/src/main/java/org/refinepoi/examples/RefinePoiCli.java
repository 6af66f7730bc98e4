package org.refinepoi.examples;

import org.refinepoi.examples.cli.BenchCommand;
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

  /** Runs the app and exits with its status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new RefinePoiCli()).execute(args));
  }
}
