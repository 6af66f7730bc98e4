package org.refinepoi.examples.progress;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import org.refinepoi.pipeline.progress.ProgressReporter;

/**
 * The console's {@link ProgressReporter}s: a progress bar at a terminal, plain log lines otherwise
 * (a file, a CI log, a pipe), so logs stay readable.
 */
public final class ConsoleProgress {

  private ConsoleProgress() {}

  /** The system property that silences {@link #auto()} (the app's {@code --quiet} sets it). */
  public static final String QUIET_PROPERTY = "refinepoi.quiet";

  /**
   * Whether the program runs at an interactive terminal: {@code System.console()} exists and {@link
   * java.io.Console#isTerminal()} (Java 22+, where a console can exist without a terminal).
   */
  public static boolean atTerminal() {
    java.io.Console console = System.console();
    return console != null && console.isTerminal();
  }

  /**
   * A progress bar on {@code System.err} when the program runs {@linkplain #atTerminal() at a
   * terminal}, log lines on {@code System.err} otherwise.
   */
  public static ProgressReporter auto() {
    if (Boolean.getBoolean(QUIET_PROPERTY)) {
      return ProgressReporter.none();
    }
    if (atTerminal()) {
      return new BarProgressReporter();
    }
    return lines(new PrintWriter(System.err, true, Charset.defaultCharset()));
  }

  /** Log lines into a stream (every 10% or every 5 s, whichever comes first). */
  public static ProgressReporter lines(PrintStream out) {
    checkNotNull(out, "out");
    return lines(new PrintWriter(out, true, Charset.defaultCharset()));
  }

  /** Log lines into a writer (every 10% or every 5 s, whichever comes first). */
  public static ProgressReporter lines(PrintWriter out) {
    return new LogProgressReporter(
        out,
        LogProgressReporter.DEFAULT_PERCENT_STEP,
        LogProgressReporter.DEFAULT_INTERVAL_NANOS,
        System::nanoTime);
  }
}
