package org.refinepoi.pipeline.progress;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A task that counts and checks its steps: the base of every reporter's task. Subclasses draw or
 * log through the hooks {@link #advanced}, {@link #messageChanged} and {@link #finished}.
 */
public class CountingTask implements ProgressReporter.Task {

  private final long total;
  private long done;
  private String message = "";
  private boolean closed;

  /**
   * A task of {@code total} units.
   *
   * @throws IllegalArgumentException when {@code total < 1}
   */
  public CountingTask(long total) {
    checkArgument(total >= 1, "a task needs a total of at least 1, got %s", total);
    this.total = total;
  }

  /** The total number of units. */
  protected final long total() {
    return total;
  }

  /** The last message. */
  protected final String lastMessage() {
    return message;
  }

  /** Whether {@link #close()} ran. */
  protected final boolean closed() {
    return closed;
  }

  @Override
  public final void stepBy(long n) {
    checkArgument(n >= 0, "steps must be >= 0, got %s", n);
    stepTo(Math.min(total, done + n));
  }

  @Override
  public final void stepTo(long value) {
    checkArgument(
        value >= done && value <= total,
        "progress must move forward within [%s, %s], got %s",
        done,
        total,
        value);
    if (closed || value == done) {
      return;
    }
    done = value;
    advanced(done);
  }

  @Override
  public final long done() {
    return done;
  }

  @Override
  public final void message(String value) {
    checkNotNull(value, "message");
    this.message = value;
    messageChanged(value);
  }

  @Override
  public final void close() {
    if (!closed) {
      closed = true;
      finished();
    }
  }

  /**
   * Called after the count moved forward.
   *
   * @param done the units done so far
   */
  protected void advanced(long done) {}

  /**
   * Called after the message changed.
   *
   * @param message the new message
   */
  protected void messageChanged(String message) {}

  /** Called once at close. */
  protected void finished() {}
}
