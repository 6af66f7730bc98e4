package org.refinepoi.som.train;

/**
 * The shape of a schedule from a start value to an end value over a number of steps (see {@link
 * Schedule}). Every shape hits the start value at step 0 and the end value at the last step.
 */
public enum Decay {
  /** {@code start + (end - start) * t}, with {@code t = step / (steps - 1)}. */
  LINEAR,
  /** {@code start * (end / start)^t}: a constant ratio per step (start and end must be > 0). */
  EXPONENTIAL,
  /**
   * {@code start / (1 + k * step)} with k chosen so the last step gives {@code end}: fast early
   * decay and a long tail, the "inverse time" decay of MiniSom and SOM_PAK (start and end > 0).
   */
  ASYMPTOTIC
}
