package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Top-k ranking metrics for next-POI recommendation, where each sample has exactly one relevant
 * item (the POI visited next), and an accumulator that averages them over samples.
 *
 * <p>A sample's outcome is the 1-based <b>rank</b> of the target in the recommended list, or {@link
 * #MISS} ({@code 0}) when the target is not in the list. With one relevant item:
 *
 * <ul>
 *   <li>Acc@k (hit rate): 1 when {@code 1 <= rank <= k}, else 0;
 *   <li>NDCG@k: the ideal DCG is 1 (target at rank 1), so NDCG@k = {@code 1 / log2(rank + 1)} when
 *       {@code 1 <= rank <= k}, else 0;
 *   <li>MRR: the mean of {@code 1 / rank}; a miss counts 0. This is the full-catalogue MRR when the
 *       recommender ranks the whole catalogue (what {@link Evaluator} asks for by default); when
 *       the list is truncated at {@code L} entries it is MRR@L, a lower bound of the full value,
 *       off by less than {@code 1 / (L + 1)} per sample.
 * </ul>
 *
 * <p>The accumulator is not thread-safe: give each thread its own and {@link #merge} them, or feed
 * ranks from one thread (the {@link Evaluator} computes ranks in parallel, then accumulates them in
 * sample order so the sums, and hence the reported numbers, are bit-for-bit reproducible).
 */
public final class RankingMetrics {

  /** The rank value that marks a target missing from the recommended list. */
  public static final int MISS = 0;

  private static final double LN2 = Math.log(2.0);

  private long count;
  private long hits1;
  private long hits5;
  private long hits10;
  private double ndcg5Sum;
  private double ndcg10Sum;
  private double reciprocalRankSum;

  /** An empty accumulator. */
  public RankingMetrics() {}

  /**
   * The 1-based rank of {@code target} in {@code ranked}, or {@link #MISS} when absent.
   *
   * @param ranked a recommended list, best first
   * @param target the relevant POI index
   */
  public static int rankOf(int[] ranked, int target) {
    checkNotNull(ranked, "ranked");
    for (int i = 0; i < ranked.length; i++) {
      if (ranked[i] == target) {
        return i + 1;
      }
    }
    return MISS;
  }

  /** Acc@k of one sample: 1 if {@code 1 <= rank <= k}, else 0. */
  public static double accuracyAt(int rank, int k) {
    checkRank(rank);
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    return rank != MISS && rank <= k ? 1.0 : 0.0;
  }

  /** NDCG@k of one sample with one relevant item: {@code 1 / log2(rank + 1)} if in the top k. */
  public static double ndcgAt(int rank, int k) {
    checkRank(rank);
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    return rank != MISS && rank <= k ? LN2 / Math.log(rank + 1.0) : 0.0;
  }

  /** Reciprocal rank of one sample: {@code 1 / rank}, or 0 for a miss. */
  public static double reciprocalRank(int rank) {
    checkRank(rank);
    return rank == MISS ? 0.0 : 1.0 / rank;
  }

  private static void checkRank(int rank) {
    checkArgument(rank >= 0, "rank must be >= 1, or 0 for a miss; got %s", rank);
  }

  /**
   * Adds one sample's outcome.
   *
   * @param rank the 1-based rank of the target, or {@link #MISS}
   * @return this accumulator
   */
  public RankingMetrics add(int rank) {
    checkRank(rank);
    count++;
    if (rank == MISS) {
      return this;
    }
    if (rank <= 1) {
      hits1++;
    }
    if (rank <= 5) {
      hits5++;
      ndcg5Sum += ndcgAt(rank, 5);
    }
    if (rank <= 10) {
      hits10++;
      ndcg10Sum += ndcgAt(rank, 10);
    }
    reciprocalRankSum += 1.0 / rank;
    return this;
  }

  /**
   * Adds every outcome of another accumulator into this one (the other is left unchanged).
   *
   * @return this accumulator
   */
  public RankingMetrics merge(RankingMetrics other) {
    checkNotNull(other, "other");
    count += other.count;
    hits1 += other.hits1;
    hits5 += other.hits5;
    hits10 += other.hits10;
    ndcg5Sum += other.ndcg5Sum;
    ndcg10Sum += other.ndcg10Sum;
    reciprocalRankSum += other.reciprocalRankSum;
    return this;
  }

  /** Number of samples added so far. */
  public long count() {
    return count;
  }

  /**
   * The averages so far. With no sample added every metric is {@code NaN} (an empty subset has no
   * accuracy), and the count is 0.
   */
  public MetricsReport report() {
    if (count == 0) {
      return MetricsReport.EMPTY;
    }
    double n = count;
    return new MetricsReport(
        count,
        hits1 / n,
        hits5 / n,
        hits10 / n,
        ndcg5Sum / n,
        ndcg10Sum / n,
        reciprocalRankSum / n);
  }
}
