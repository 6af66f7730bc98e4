package org.refinepoi.examples.cli;

import picocli.CommandLine;

/**
 * The app's one failure handling for every command (see {@link CliOptions} for the exit statuses):
 * installs the exception handler on a command line and runs it, turning an {@link
 * OutOfMemoryError}, which picocli does not catch, into the same one-line message.
 */
public final class CliErrors {

  private CliErrors() {}

  /**
   * Installs the handler of every command's failures on a command line and its subcommands.
   *
   * @return the same command line
   */
  public static CommandLine install(CommandLine commandLine) {
    return commandLine.setExecutionExceptionHandler(CliOptions.HANDLER);
  }

  /**
   * Runs a command line and returns its exit status; an {@link OutOfMemoryError} prints one line
   * and returns {@value CliOptions#INPUT_ERROR}.
   */
  public static int run(CommandLine commandLine, String... args) {
    try {
      return commandLine.execute(args);
    } catch (OutOfMemoryError e) {
      commandLine.getErr().println(commandLine.getCommandName() + ": " + CliOptions.describe(e));
      commandLine.getErr().flush();
      return CliOptions.INPUT_ERROR;
    }
  }
}
