package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

/**
 * Paired bootstrap confidence intervals for the difference of two recommenders' mean metric on the
 * same samples (the percentile method): resample the samples with replacement, take the mean of the
 * per-sample differences each time, and read the 2.5% and 97.5% quantiles. Pairing keeps the
 * samples' own difficulty out of the interval, so it is much narrower than two separate intervals.
 * A difference whose interval contains 0 is not a win. Deterministic for a seed. Stateless and
 * thread-safe.
 */
public final class PairedBootstrap {

  /** Resamples unless told otherwise: 1,000. */
  public static final int DEFAULT_RESAMPLES = 1000;

  private PairedBootstrap() {}

  /**
   * A difference with its interval.
   *
   * @param delta the observed mean difference (first minus second)
   * @param lo the lower end of the 95% interval
   * @param hi the upper end of the 95% interval
   */
  public record Interval(double delta, double lo, double hi) {

    /** Checks {@code lo <= hi} and finiteness. */
    public Interval {
      checkArgument(
          Double.isFinite(delta) && Double.isFinite(lo) && Double.isFinite(hi),
          "interval values must be finite: %s [%s, %s]",
          delta,
          lo,
          hi);
      checkArgument(lo <= hi, "lo %s > hi %s", lo, hi);
    }

    /** Whether the whole interval lies above 0. */
    public boolean above0() {
      return lo > 0;
    }
  }

  /** A per-sample metric of a rank (1-based, or {@link RankingMetrics#MISS}). */
  public enum Metric {
    /** Acc@1. */
    ACC_1("acc@1", r -> RankingMetrics.accuracyAt(r, 1)),
    /** Acc@5. */
    ACC_5("acc@5", r -> RankingMetrics.accuracyAt(r, 5)),
    /** Acc@10. */
    ACC_10("acc@10", r -> RankingMetrics.accuracyAt(r, 10)),
    /** NDCG@5. */
    NDCG_5("ndcg@5", r -> RankingMetrics.ndcgAt(r, 5)),
    /** NDCG@10. */
    NDCG_10("ndcg@10", r -> RankingMetrics.ndcgAt(r, 10)),
    /** Reciprocal rank. */
    MRR("mrr", RankingMetrics::reciprocalRank);

    private final String key;
    private final IntToDoubleFunction ofRank;

    Metric(String key, IntToDoubleFunction ofRank) {
      this.key = key;
      this.ofRank = ofRank;
    }

    /** The key in {@code metrics.json}, for example {@code "ndcg@10"}. */
    public String key() {
      return key;
    }

    /** The metric of one sample's rank. */
    public double of(int rank) {
      return ofRank.applyAsDouble(rank);
    }
  }

  /**
   * The interval of {@code mean(metric(ranksA)) - mean(metric(ranksB))} over paired samples.
   *
   * @param metric the metric
   * @param ranksA the first recommender's rank of each sample's target ({@link Evaluator#ranks})
   * @param ranksB the second's, same samples in the same order
   * @param resamples bootstrap resamples, {@code >= 100}
   * @param seed the resampling seed
   */
  public static Interval difference(
      Metric metric, int[] ranksA, int[] ranksB, int resamples, long seed) {
    checkNotNull(metric, "metric");
    checkNotNull(ranksA, "ranksA");
    checkNotNull(ranksB, "ranksB");
    checkArgument(
        ranksA.length == ranksB.length,
        "paired samples differ in number: %s vs %s",
        ranksA.length,
        ranksB.length);
    double[] d = new double[ranksA.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = metric.of(ranksA[i]) - metric.of(ranksB[i]);
    }
    return ofDifferences(d, resamples, seed);
  }

  /**
   * The interval of the mean of per-sample differences.
   *
   * @param differences one paired difference per sample, finite, not empty
   * @param resamples bootstrap resamples, {@code >= 100}
   * @param seed the resampling seed
   */
  public static Interval ofDifferences(double[] differences, int resamples, long seed) {
    checkNotNull(differences, "differences");
    checkArgument(differences.length > 0, "no samples to bootstrap");
    checkArgument(resamples >= 100, "resamples must be >= 100, got %s", resamples);
    for (double v : differences) {
      checkArgument(Double.isFinite(v), "differences must be finite, got %s", v);
    }
    int n = differences.length;
    double observed = mean(differences);
    SplittableRandom random = new SplittableRandom(seed);
    double[] means = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += differences[random.nextInt(n)];
      }
      means[b] = sum / n;
    }
    Arrays.sort(means);
    return new Interval(observed, quantile(means, 0.025), quantile(means, 0.975));
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** The type-7 (linear interpolation) quantile of sorted values. */
  static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
