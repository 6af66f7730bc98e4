package org.refinepoi.examples.progress;

import static com.google.common.base.Preconditions.checkNotNull;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.refinepoi.pipeline.progress.CountingTask;
import org.refinepoi.pipeline.progress.ProgressReporter;

/** Progress as a terminal progress bar (me.tongfei progressbar, drawn on standard error). */
final class BarProgressReporter implements ProgressReporter {

  @Override
  public Task start(String name, long total, String unit) {
    checkNotNull(name, "name");
    checkNotNull(unit, "unit");
    new CountingTask(total); // validates the total before drawing anything
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(name)
            .setInitialMax(total)
            .setUnit(" " + unit, 1)
            .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
            .setUpdateIntervalMillis(250)
            .build();
    return new CountingTask(total) {
      @Override
      protected void advanced(long done) {
        bar.stepTo(done);
      }

      @Override
      protected void messageChanged(String message) {
        bar.setExtraMessage(message);
      }

      @Override
      protected void finished() {
        bar.close();
      }
    };
  }
}
