package org.refinepoi.som.quality;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.Comparator;

/** Spearman's rank correlation, with average ranks for ties. */
public final class RankCorrelation {

  private RankCorrelation() {}

  /**
   * Spearman's rho: the Pearson correlation of the two samples' ranks, tied values sharing the mean
   * of the ranks they span. NaN when either sample is constant (the correlation is undefined).
   *
   * @throws IllegalArgumentException on samples of different length, fewer than 2 values, or a NaN
   */
  public static double spearman(double[] x, double[] y) {
    checkNotNull(x, "x");
    checkNotNull(y, "y");
    checkArgument(x.length == y.length, "samples of length %s and %s", x.length, y.length);
    checkArgument(x.length >= 2, "Spearman's rho needs at least 2 pairs, got %s", x.length);
    return pearson(averageRanks(x), averageRanks(y));
  }

  /**
   * The 1-based ranks of values, ties getting the mean of the ranks they span (for example {@code
   * [10, 20, 20, 30]} ranks {@code [1, 2.5, 2.5, 4]}).
   */
  public static double[] averageRanks(double[] values) {
    checkNotNull(values, "values");
    int n = values.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      checkArgument(!Double.isNaN(values[i]), "value %s is NaN", i);
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
    double[] ranks = new double[n];
    int i = 0;
    while (i < n) {
      int j = i + 1;
      while (j < n && values[order[j]] == values[order[i]]) {
        j++;
      }
      double rank = (i + 1 + j) / 2.0; // mean of ranks i+1 .. j
      for (int t = i; t < j; t++) {
        ranks[order[t]] = rank;
      }
      i = j;
    }
    return ranks;
  }

  private static double pearson(double[] a, double[] b) {
    int n = a.length;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= n;
    mb /= n;
    double cov = 0;
    double va = 0;
    double vb = 0;
    for (int i = 0; i < n; i++) {
      double da = a[i] - ma;
      double db = b[i] - mb;
      cov += da * db;
      va += da * da;
      vb += db * db;
    }
    if (va == 0 || vb == 0) {
      return Double.NaN;
    }
    return cov / Math.sqrt(va * vb);
  }
}
