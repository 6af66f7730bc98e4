package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One recommender's metrics on one sample set: over all samples, and over the cold-start users'
 * samples only ({@link org.refinepoi.core.protocol.Sample#coldStart()}).
 *
 * @param method the recommender's name
 * @param overall metrics over every sample
 * @param coldStart metrics over the cold-start samples ({@link MetricsReport#EMPTY} when none)
 * @param listSize how many POIs the recommender was asked for per sample (MRR is exact when this is
 *     the catalogue size, else MRR@listSize)
 */
public record EvaluationResult(
    String method, MetricsReport overall, MetricsReport coldStart, int listSize) {

  /** Checks that nothing is null. */
  public EvaluationResult {
    checkNotNull(method, "method");
    checkNotNull(overall, "overall");
    checkNotNull(coldStart, "coldStart");
  }
}
