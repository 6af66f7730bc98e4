package org.refinepoi.som.train;

/** How prototypes move. */
public enum TrainingAlgorithm {
  /**
   * Kohonen's batch map (the default): per epoch, every sample's BMU, then every prototype set to
   * the neighbourhood-weighted mean of the samples. Deterministic, parallel, no learning rate.
   */
  BATCH,
  /**
   * The classic online rule: samples one at a time in a seeded shuffled order, {@code w_j += lr *
   * h(j, bmu) * (x - w_j)}; radius and learning rate decay per sample. Sequential (single thread).
   */
  ONLINE
}
