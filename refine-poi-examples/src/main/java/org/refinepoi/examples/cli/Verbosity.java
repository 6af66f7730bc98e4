package org.refinepoi.examples.cli;

import java.util.List;
import org.refinepoi.examples.progress.ConsoleProgress;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * How much the app says besides its tables: {@code --quiet} (errors only, no progress), the default
 * (warnings and progress), {@code --verbose} (INFO log lines too), {@code --debug} (every library's
 * per-step DEBUG lines). Declared once on the root command and inherited by every command, so the
 * flags mean the same everywhere.
 *
 * <p>SLF4J's simple logger reads its level once, when the first logger is made, which happens while
 * the commands are being built; so {@link #configure} reads the flags from the raw arguments before
 * anything else runs, and the options here exist so that the parser accepts and documents them. An
 * explicit {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} still wins.
 */
public final class Verbosity {

  /** The system property that selects SLF4J simple logger's default level. */
  static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  /** The system property {@link #quiet()} reads; set by {@link #configure} for {@code --quiet}. */
  static final String QUIET_PROPERTY = ConsoleProgress.QUIET_PROPERTY;

  @Option(
      names = {"-q", "--quiet"},
      scope = ScopeType.INHERIT,
      description = "Print only the results and errors: no progress, no warnings.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Also print the libraries' INFO log lines.")
  boolean verbose;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Also print every per-step DEBUG log line (very long).")
  boolean debug;

  /**
   * Sets the log level (and the quiet flag) from the raw arguments, before any logger exists.
   *
   * @return the SLF4J level chosen: error, warn, info or debug
   */
  public static String configure(String... args) {
    List<String> list = List.of(args);
    boolean quiet = list.contains("-q") || list.contains("--quiet");
    String level =
        list.contains("--debug")
            ? "debug"
            : list.contains("-v") || list.contains("--verbose") ? "info" : quiet ? "error" : "warn";
    if (System.getProperty(LEVEL_PROPERTY) == null) {
      System.setProperty(LEVEL_PROPERTY, level);
    }
    if (quiet) {
      System.setProperty(QUIET_PROPERTY, "true");
    }
    return System.getProperty(LEVEL_PROPERTY);
  }

  /** Whether {@code --quiet} was given: progress reporters then report nothing. */
  public static boolean quiet() {
    return Boolean.getBoolean(QUIET_PROPERTY);
  }
}
