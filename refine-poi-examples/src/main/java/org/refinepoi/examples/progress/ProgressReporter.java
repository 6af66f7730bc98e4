package org.refinepoi.examples.progress;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * Reports the progress of long steps (SOM epochs, SFT and GRPO steps, evaluation) to the person at
 * the console: a progress bar on a terminal, plain log lines otherwise (a file, a CI log, a pipe),
 * so logs stay readable. Library modules never print; they expose listeners (the GRPO {@code
 * StepListener}, the SFT listener, the SOM trainer's epoch listener) and {@link ProgressListeners}
 * turns those into {@link Task} updates.
 *
 * <p>Use: {@code try (var task = reporter.start("GRPO", steps, "step")) { ... task.step(); }}.
 */
public interface ProgressReporter {

  /**
   * Starts a task.
   *
   * @param name what is running, for example "SOM level 1"
   * @param total the number of units of work, at least 1
   * @param unit the name of one unit, for example "epoch"
   * @return the task, to advance and close
   */
  Task start(String name, long total, String unit);

  /** A running task. Not thread-safe: advance it from one thread. */
  interface Task extends AutoCloseable {

    /** One more unit done. */
    default void step() {
      stepBy(1);
    }

    /**
     * {@code n} more units done ({@code n >= 0}); the count stops at the total, so a listener that
     * reports more steps than planned never breaks a training run.
     */
    void stepBy(long n);

    /** {@code done} units done in all (not below the current count, not above the total). */
    void stepTo(long done);

    /** Units done so far. */
    long done();

    /** A short status shown with the progress, for example the current loss. */
    void message(String message);

    /** Finishes the task (idempotent). */
    @Override
    void close();
  }

  /**
   * Whether the program runs at an interactive terminal: {@code System.console()} exists and {@link
   * java.io.Console#isTerminal()} (Java 22+, where a console can exist without a terminal).
   */
  static boolean atTerminal() {
    java.io.Console console = System.console();
    return console != null && console.isTerminal();
  }

  /**
   * A progress bar on {@code System.err} when the program runs {@linkplain #atTerminal() at a
   * terminal}, log lines on {@code System.err} otherwise.
   */
  static ProgressReporter auto() {
    if (atTerminal()) {
      return new BarProgressReporter();
    }
    return new LogProgressReporter(
        new PrintWriter(System.err, true, Charset.defaultCharset()),
        LogProgressReporter.DEFAULT_PERCENT_STEP,
        LogProgressReporter.DEFAULT_INTERVAL_NANOS,
        System::nanoTime);
  }

  /** Log lines into a stream (every 10% or every 5 s, whichever comes first). */
  static ProgressReporter lines(PrintStream out) {
    checkNotNull(out, "out");
    return lines(new PrintWriter(out, true, Charset.defaultCharset()));
  }

  /** Log lines into a writer (every 10% or every 5 s, whichever comes first). */
  static ProgressReporter lines(PrintWriter out) {
    return new LogProgressReporter(
        out,
        LogProgressReporter.DEFAULT_PERCENT_STEP,
        LogProgressReporter.DEFAULT_INTERVAL_NANOS,
        System::nanoTime);
  }

  /** Reports nothing (for tests and {@code --quiet}). */
  static ProgressReporter none() {
    return (name, total, unit) -> new CountingTask(total);
  }
}
