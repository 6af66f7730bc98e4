package org.refinepoi.core.features;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * How often pairs of distinct POIs of a catalogue were visited close together (the input of the
 * collaborative feature block): unordered pairs over POI indices {@code 0..pois-1}. Counted in
 * memory by {@link PoiFeatureBuilder#fit}, or elsewhere (on Spark, for example) and handed to
 * {@link PoiFeatureBuilder#collaborativeRows}. Immutable.
 */
public final class CoVisitCounts {

  /** Most distinct pairs accepted: each is stored twice in int-indexed arrays. */
  public static final int MAX_PAIRS = (Integer.MAX_VALUE - 8) / 2;

  private final int pois;
  private final long[] keys;
  private final long[] counts;

  private CoVisitCounts(int pois, long[] keys, long[] counts) {
    this.pois = pois;
    this.keys = keys;
    this.counts = counts;
  }

  /**
   * Counts given as parallel arrays: pair {@code e} is POIs {@code first[e]} and {@code second[e]}
   * (in either order), seen {@code counts[e]} times. A pair listed more than once is summed.
   *
   * @param pois the catalogue size, at least 1
   * @throws IllegalArgumentException when the arrays differ in length or hold more than {@link
   *     #MAX_PAIRS} entries, or an entry has an index outside the catalogue, the same POI twice or
   *     a count below 1 (the entry is named)
   */
  public static CoVisitCounts of(int pois, int[] first, int[] second, long[] counts) {
    checkArgument(pois >= 1, "pois must be >= 1, got %s", pois);
    checkNotNull(first, "first");
    checkNotNull(second, "second");
    checkNotNull(counts, "counts");
    checkArgument(
        first.length == second.length && first.length == counts.length,
        "first, second and counts differ in length (%s, %s, %s)",
        first.length,
        second.length,
        counts.length);
    checkArgument(
        first.length <= MAX_PAIRS, "%s pairs; at most %s are supported", first.length, MAX_PAIRS);
    long n = pois;
    long[] raw = new long[first.length];
    for (int e = 0; e < raw.length; e++) {
      int i = first[e];
      int j = second[e];
      checkArgument(
          i >= 0 && i < pois && j >= 0 && j < pois,
          "pair %s (%s, %s) has a POI index outside [0, %s)",
          e,
          i,
          j,
          pois);
      checkArgument(i != j, "pair %s pairs POI %s with itself", e, i);
      checkArgument(counts[e] >= 1, "pair %s (%s, %s) has count %s < 1", e, i, j, counts[e]);
      raw[e] = i < j ? i * n + j : j * n + i;
    }
    long[] sorted = raw.clone();
    Arrays.sort(sorted);
    int distinct = 0;
    for (int e = 0; e < sorted.length; e++) {
      if (e == 0 || sorted[e] != sorted[e - 1]) {
        sorted[distinct++] = sorted[e];
      }
    }
    long[] keys = Arrays.copyOf(sorted, distinct);
    long[] summed = new long[distinct];
    for (int e = 0; e < raw.length; e++) {
      int at = Arrays.binarySearch(keys, raw[e]);
      summed[at] = Math.addExact(summed[at], counts[e]);
    }
    return new CoVisitCounts(pois, keys, summed);
  }

  /** The catalogue size. */
  public int pois() {
    return pois;
  }

  /** Number of distinct unordered pairs with a count. */
  public int pairs() {
    return keys.length;
  }

  /** The count of the pair {@code (i, j)}, in either order; 0 when never seen or {@code i == j}. */
  public long count(int i, int j) {
    checkArgument(i >= 0 && i < pois && j >= 0 && j < pois, "index outside [0, %s)", pois);
    if (i == j) {
      return 0;
    }
    long key = i < j ? (long) i * pois + j : (long) j * pois + i;
    int at = Arrays.binarySearch(keys, key);
    return at < 0 ? 0 : counts[at];
  }

  /** The symmetric count matrix: both (i, j) and (j, i) stored. */
  CsrMatrix symmetric() {
    return PairCounter.symmetricCsr(pois, keys, counts);
  }

  @Override
  public String toString() {
    return "CoVisitCounts[" + pois + " POIs, " + keys.length + " pairs]";
  }
}
