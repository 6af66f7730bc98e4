package org.refinepoi.examples;

import org.refinepoi.examples.cli.BenchCommand;
import org.refinepoi.examples.cli.BenchRecCommand;
import org.refinepoi.examples.cli.CliErrors;
import org.refinepoi.examples.cli.DemoCommand;
import org.refinepoi.examples.cli.EvalCommand;
import org.refinepoi.examples.cli.ExportCommand;
import org.refinepoi.examples.cli.IdsCommand;
import org.refinepoi.examples.cli.RecommendCommand;
import org.refinepoi.examples.cli.ScoreCommand;
import org.refinepoi.examples.cli.StatsCommand;
import org.refinepoi.examples.cli.TrainCommand;
import org.refinepoi.examples.cli.Verbosity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

/**
 * The {@code refine-poi} command-line app: the README's main job, statistics, evaluation,
 * benchmarks.
 */
@Command(
    name = "refine-poi",
    mixinStandardHelpOptions = true,
    versionProvider = RefinePoiCli.BuildVersion.class,
    usageHelpAutoWidth = true,
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
      ScoreCommand.class,
      TrainCommand.class,
      RecommendCommand.class
    })
public final class RefinePoiCli {

  @Mixin Verbosity verbosity;

  private RefinePoiCli() {}

  /**
   * The version the build wrote into the jar's manifest (or "development build" when run from
   * classes).
   */
  static final class BuildVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = RefinePoiCli.class.getPackage().getImplementationVersion();
      return new String[] {
        "refine-poi " + (version == null ? "(development build)" : version),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }

  /**
   * The app's command line as {@link #main} runs it: every command's failures go through one
   * handler, which prints one line naming the file and the reason (never a stack trace for a user
   * error) with the exit status of its kind (see the usage's exit status list).
   */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new RefinePoiCli());
    // "experiment" is the full experiment's own name; "bench rec" stays as its older alias.
    commandLine.addSubcommand(
        "experiment", new CommandLine(new BenchRecCommand()).setCommandName("experiment"));
    // "refine-poi generate-completion" prints a bash/zsh completion script (picocli's
    // AutoComplete):
    // source <(bin/refine-poi generate-completion)
    commandLine.addSubcommand(new picocli.AutoComplete.GenerateCompletion());
    commandLine
        .getSubcommands()
        .get("generate-completion")
        .getCommandSpec()
        .usageMessage()
        .header("Prints a bash/zsh completion script: source <(refine-poi generate-completion).");
    commandLine.setUsageHelpAutoWidth(true);
    return CliErrors.install(commandLine);
  }

  /** Runs the app and exits with its status. */
  public static void main(String[] args) {
    Verbosity.configure(args);
    System.exit(CliErrors.run(commandLine(), args));
  }
}
