package org.refinepoi.pipeline.experiment;

/**
 * Hears the stages of a {@link RecommendationExperiment} (and of the recommender trainer built on
 * it) begin and end: {@code "prepare"}, {@code "features"}, {@code "ID schemes + quality"}, {@code
 * "SFT (HSOM)"}, ... Steps inside a stage go to the {@link
 * org.refinepoi.pipeline.progress.ProgressReporter}. Called on the thread that runs the stage.
 */
public interface StageListener {

  /** Hears nothing. */
  StageListener NONE = new StageListener() {};

  /**
   * A stage begins.
   *
   * @param stage its name
   */
  default void started(String stage) {}

  /**
   * A stage ended.
   *
   * @param stage its name
   * @param seconds its wall time
   */
  default void finished(String stage, double seconds) {}
}
