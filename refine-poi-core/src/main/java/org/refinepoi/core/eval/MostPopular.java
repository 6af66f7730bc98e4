package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.Collection;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.protocol.Sample;

/**
 * The global popularity baseline: every sample gets the same ranking, POIs by number of training
 * check-ins, most first, ties (including the never-visited POIs at the end) by lower POI index.
 * Immutable and thread-safe.
 */
public final class MostPopular implements Recommender {

  /** The name in tables. */
  public static final String NAME = "MostPopular";

  private final long[] counts;
  private final long total;
  private final int[] order;

  private MostPopular(long[] counts) {
    this.counts = counts;
    this.total = Arrays.stream(counts).sum();
    double[] scores = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      scores[i] = counts[i];
    }
    this.order = RankedList.topByScore(scores, counts.length);
  }

  /**
   * Fits on training check-ins.
   *
   * @param poiCount the catalogue size
   * @param trainingCheckIns the check-ins to count (the training split's, never the test's)
   * @throws IllegalArgumentException if a check-in's POI is outside the catalogue
   */
  public static MostPopular fit(int poiCount, Collection<CheckIn> trainingCheckIns) {
    checkArgument(poiCount >= 1, "the catalogue needs at least one POI, got %s", poiCount);
    checkNotNull(trainingCheckIns, "trainingCheckIns");
    long[] counts = new long[poiCount];
    for (CheckIn c : trainingCheckIns) {
      checkElementIndex(c.poi(), poiCount, "POI index of a training check-in");
      counts[c.poi()]++;
    }
    return new MostPopular(counts);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int[] recommend(Sample sample, int k) {
    checkNotNull(sample, "sample");
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    return Arrays.copyOf(order, Math.min(k, order.length));
  }

  /** Catalogue size. */
  public int poiCount() {
    return counts.length;
  }

  /** Number of training check-ins at a POI. */
  public long count(int poi) {
    return counts[poi];
  }

  /** Total number of training check-ins counted. */
  public long total() {
    return total;
  }

  /** The whole catalogue in popularity order (a copy). */
  public int[] ranking() {
    return order.clone();
  }

  /** The popularity order, shared, for the back-off of other baselines (never modified). */
  int[] orderView() {
    return order;
  }
}
