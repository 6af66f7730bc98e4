package org.refinepoi.pipeline.progress;

/**
 * Receives the progress of long steps (SOM epochs, SFT and GRPO steps, evaluation). The libraries
 * never print: the experiment and the recommender trainer report through this interface, the
 * training libraries through their listeners (the GRPO {@code StepListener}, the SFT listener, the
 * SOM trainer's epoch listener), which {@link ProgressListeners} turns into {@link Task} updates.
 * The command-line app implements it with a progress bar at a terminal and log lines elsewhere.
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

  /** Reports nothing (for tests and {@code --quiet}). */
  static ProgressReporter none() {
    return (name, total, unit) -> new CountingTask(total);
  }
}
