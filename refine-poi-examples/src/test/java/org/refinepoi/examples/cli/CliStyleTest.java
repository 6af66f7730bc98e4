package org.refinepoi.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.refinepoi.examples.RefinePoiCli;
import picocli.CommandLine;

/** One CLI style (issue 15): summaries of one line, help within 100 columns, shared flags. */
class CliStyleTest {

  @AfterEach
  void clearProperties() {
    System.clearProperty(Verbosity.LEVEL_PROPERTY);
    System.clearProperty(Verbosity.QUIET_PROPERTY);
  }

  private static List<CommandLine> allCommands(CommandLine root) {
    List<CommandLine> out = new ArrayList<>();
    out.add(root);
    for (CommandLine sub : root.getSubcommands().values()) {
      out.addAll(allCommands(sub));
    }
    return out;
  }

  @Test
  void everyHelpFitsOneHundredColumnsAndEverySummaryOneLine() {
    for (CommandLine command : allCommands(RefinePoiCli.commandLine())) {
      String help = command.getUsageMessage();
      for (String line : help.split("\n")) {
        assertThat(line.length())
            .as("%s --help line: %s", command.getCommandSpec().qualifiedName(), line)
            .isLessThanOrEqualTo(100);
      }
      if (command.getParent() != null && !command.getCommandSpec().usageMessage().hidden()) {
        assertThat(command.getCommandSpec().usageMessage().header())
            .as("%s has a one-line summary", command.getCommandSpec().qualifiedName())
            .hasSize(1);
      }
    }
  }

  @Test
  void quietVerboseAndDebugAreAcceptedByEveryCommand() {
    for (CommandLine command : allCommands(RefinePoiCli.commandLine())) {
      for (String flag : List.of("--quiet", "-q", "--verbose", "-v", "--debug")) {
        assertThat(command.getCommandSpec().findOption(flag))
            .as("%s %s", command.getCommandSpec().qualifiedName(), flag)
            .isNotNull();
      }
    }
  }

  @Test
  void flagsPickTheLogLevel() {
    assertThat(Verbosity.configure("demo")).isEqualTo("warn");
    assertThat(Verbosity.quiet()).isFalse();
    clearProperties();
    assertThat(Verbosity.configure("demo", "--verbose")).isEqualTo("info");
    clearProperties();
    assertThat(Verbosity.configure("demo", "--debug")).isEqualTo("debug");
    clearProperties();
    assertThat(Verbosity.configure("demo", "-q")).isEqualTo("error");
    assertThat(Verbosity.quiet()).isTrue();
    clearProperties();
    System.setProperty(Verbosity.LEVEL_PROPERTY, "trace");
    assertThat(Verbosity.configure("demo", "-q")).as("an explicit -D wins").isEqualTo("trace");
  }

  @Test
  void shellCompletionIsGenerated() {
    StringWriter out = new StringWriter();
    CommandLine cli = RefinePoiCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    assertThat(CliErrors.run(cli, "generate-completion")).isZero();
    assertThat(out.toString()).contains("refine-poi").contains("experiment").contains("recommend");
  }

  @Test
  void experimentIsTheFullExperimentAndVersionComesFromTheBuild() {
    StringWriter out = new StringWriter();
    CommandLine cli = RefinePoiCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    assertThat(CliErrors.run(cli, "experiment", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: refine-poi experiment").contains("--ablations");
    out.getBuffer().setLength(0);
    assertThat(CliErrors.run(cli, "--version")).isZero();
    assertThat(out.toString()).startsWith("refine-poi ").contains("Java ");
  }
}
