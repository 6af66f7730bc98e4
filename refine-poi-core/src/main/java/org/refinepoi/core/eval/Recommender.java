package org.refinepoi.core.eval;

import org.refinepoi.core.protocol.Sample;

/**
 * Anything that ranks POIs for a next-POI sample: the classic baselines, the generative policy, or
 * a user's own model. Implementations must be safe to call from several threads once built.
 */
public interface Recommender {

  /** A short name for tables, for example {@code "Markov"}. */
  String name();

  /**
   * The top {@code k} POIs for a sample, best first, as dense POI indices of the dataset the sample
   * came from. Must not read {@code sample.target().poi()}. May return fewer than {@code k} when
   * fewer POIs can be ranked, never duplicates.
   */
  int[] recommend(Sample sample, int k);
}
