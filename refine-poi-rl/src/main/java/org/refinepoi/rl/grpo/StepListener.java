package org.refinepoi.rl.grpo;

/**
 * Receives the metrics of every GRPO step (progress bars, CSV logs, plots, early stopping). Called
 * on the trainer's thread after each step, so a slow listener slows training.
 */
@FunctionalInterface
public interface StepListener {

  /** Called on the training thread after each step. */
  void onStep(StepMetrics metrics);
}
