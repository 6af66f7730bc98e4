package org.refinepoi.rl.grpo;

/** Receives the metrics of every GRPO step (progress bars, CSV logs, plots, early stopping). */
@FunctionalInterface
public interface StepListener {

  /** Called on the training thread after each step. */
  void onStep(StepMetrics metrics);
}
