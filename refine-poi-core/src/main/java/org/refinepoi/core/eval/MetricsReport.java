package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Averaged ranking metrics over a set of samples (see {@link RankingMetrics} for the definitions).
 * Values are fractions in [0, 1]; an empty set ({@code count == 0}) has every metric {@code NaN}.
 *
 * @param count number of samples
 * @param acc1 Acc@1
 * @param acc5 Acc@5
 * @param acc10 Acc@10
 * @param ndcg5 NDCG@5
 * @param ndcg10 NDCG@10
 * @param mrr mean reciprocal rank (a miss counts 0)
 */
public record MetricsReport(
    long count, double acc1, double acc5, double acc10, double ndcg5, double ndcg10, double mrr) {

  /** The report of an empty sample set. */
  public static final MetricsReport EMPTY =
      new MetricsReport(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** Checks the count and that every metric is in [0, 1] (or NaN for an empty set). */
  public MetricsReport {
    checkArgument(count >= 0, "count must be >= 0, got %s", count);
    for (double v : new double[] {acc1, acc5, acc10, ndcg5, ndcg10, mrr}) {
      if (count == 0) {
        checkArgument(Double.isNaN(v), "an empty report has NaN metrics, got %s", v);
      } else {
        checkArgument(v >= 0.0 && v <= 1.0, "metric out of [0, 1]: %s", v);
      }
    }
  }

  /** Whether no sample was evaluated. */
  public boolean isEmpty() {
    return count == 0;
  }
}
