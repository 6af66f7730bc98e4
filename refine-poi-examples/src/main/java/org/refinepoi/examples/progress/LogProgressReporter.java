package org.refinepoi.examples.progress;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.refinepoi.pipeline.progress.CountingTask;
import org.refinepoi.pipeline.progress.ProgressReporter;

/**
 * Progress as plain lines, for logs and pipes: a line when a task starts, then whenever another
 * {@code percentStep} percent is done or {@code intervalNanos} have passed since the last line
 * (whichever comes first, and only when the count moved), and a final line with the elapsed time.
 * Example: {@code [GRPO] 40/100 step (40%), 12.1 s elapsed, about 18 s left, reward 0.61}.
 */
public final class LogProgressReporter implements ProgressReporter {

  /** Default: a line every 10%. */
  public static final int DEFAULT_PERCENT_STEP = 10;

  /** Default: a line at least every 5 seconds while the count moves. */
  public static final long DEFAULT_INTERVAL_NANOS = 5_000_000_000L;

  private final PrintWriter out;
  private final int percentStep;
  private final long intervalNanos;
  private final LongSupplier clock;

  /**
   * A reporter.
   *
   * @param out where the lines go
   * @param percentStep a line every this many percent, 1 to 100
   * @param intervalNanos a line at least this often while the count moves, > 0
   * @param clock nanosecond clock (System::nanoTime; a fake one in tests)
   */
  public LogProgressReporter(
      PrintWriter out, int percentStep, long intervalNanos, LongSupplier clock) {
    this.out = checkNotNull(out, "out");
    checkArgument(
        percentStep >= 1 && percentStep <= 100, "percentStep must be in [1, 100]: %s", percentStep);
    checkArgument(intervalNanos > 0, "intervalNanos must be > 0: %s", intervalNanos);
    this.percentStep = percentStep;
    this.intervalNanos = intervalNanos;
    this.clock = checkNotNull(clock, "clock");
  }

  @Override
  public Task start(String name, long total, String unit) {
    checkNotNull(name, "name");
    checkNotNull(unit, "unit");
    LineTask task = new LineTask(name, total, unit);
    out.printf(Locale.ROOT, "[%s] started: %d %s%n", name, total, unit);
    out.flush();
    return task;
  }

  private final class LineTask extends CountingTask {
    private final String name;
    private final String unit;
    private final long startNanos;
    private long lastLineNanos;
    private long lastPercentBucket;

    LineTask(String name, long total, String unit) {
      super(total);
      this.name = name;
      this.unit = unit;
      this.startNanos = clock.getAsLong();
      this.lastLineNanos = startNanos;
    }

    @Override
    protected void advanced(long done) {
      long now = clock.getAsLong();
      long bucket = done * 100 / total() / percentStep;
      if (done == total()) {
        return; // the final line comes at close
      }
      if (bucket > lastPercentBucket || now - lastLineNanos >= intervalNanos) {
        lastPercentBucket = bucket;
        lastLineNanos = now;
        line(done, now, false);
      }
    }

    @Override
    protected void finished() {
      line(done(), clock.getAsLong(), true);
    }

    private void line(long done, long now, boolean last) {
      double elapsed = (now - startNanos) / 1e9;
      StringBuilder sb = new StringBuilder();
      sb.append('[').append(name).append("] ");
      sb.append(done).append('/').append(total()).append(' ').append(unit);
      sb.append(
          String.format(Locale.ROOT, " (%d%%), %.1f s elapsed", done * 100 / total(), elapsed));
      if (!last && done > 0) {
        double left = elapsed * (total() - done) / done;
        sb.append(String.format(Locale.ROOT, ", about %.0f s left", left));
      }
      if (last) {
        sb.append(done == total() ? ", done" : ", stopped early");
      }
      if (!lastMessage().isEmpty()) {
        sb.append(", ").append(lastMessage());
      }
      out.println(sb);
      out.flush();
    }
  }
}
