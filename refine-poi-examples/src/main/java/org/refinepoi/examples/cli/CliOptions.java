package org.refinepoi.examples.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.refinepoi.core.protocol.SampleMode;
import org.refinepoi.core.protocol.Split;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Parses the lower-case option values the commands share ({@code --sample-mode}, {@code --split}).
 */
final class CliOptions {

  private CliOptions() {}

  /** Exit status of a command that failed on its input (bad file, bad data). */
  static final int INPUT_ERROR = 1;

  /**
   * Prints a failure as one line (no stack trace: the messages name the file, line and reason) and
   * returns {@link #INPUT_ERROR}.
   */
  static int fail(CommandSpec spec, Throwable e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.qualifiedName() + ": " + e.getMessage());
    err.flush();
    return INPUT_ERROR;
  }

  /** {@code last} or {@code all}. */
  static SampleMode sampleMode(CommandSpec spec, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "last" -> SampleMode.LAST_CHECK_IN;
      case "all" -> SampleMode.ALL_PREFIXES;
      default ->
          throw new ParameterException(
              spec.commandLine(),
              "--sample-mode must be 'last' (last check-in of each trajectory) or 'all' (every"
                  + " prefix), got '"
                  + value
                  + "'");
    };
  }

  /** {@code test} or {@code validation}. */
  static Split split(CommandSpec spec, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "test" -> Split.TEST;
      case "validation", "val" -> Split.VALIDATION;
      default ->
          throw new ParameterException(
              spec.commandLine(), "--split must be 'test' or 'validation', got '" + value + "'");
    };
  }
}
