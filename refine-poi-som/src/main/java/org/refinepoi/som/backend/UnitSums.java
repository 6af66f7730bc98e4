package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.math.FloatMatrix;

/**
 * The per-unit reduction of a batch-map epoch: for every unit the sum of the samples whose BMU it
 * is, and their count. Sums are in double precision so the neighbourhood smoothing does not lose
 * the small contributions of distant units.
 *
 * @param units number of units M
 * @param dims number of features D
 * @param sums M × D row-major sums
 * @param counts M counts
 * @param squaredError the sum over samples of the squared distance to their BMU (for monitoring;
 *     backends using the expanded form report its value, clamped at 0 per sample)
 */
public record UnitSums(int units, int dims, double[] sums, long[] counts, double squaredError) {

  /** Validates the shapes. */
  public UnitSums {
    checkNotNull(sums, "sums");
    checkNotNull(counts, "counts");
    checkArgument(units >= 1 && dims >= 1, "units and dims must be >= 1");
    checkArgument(sums.length == (long) units * dims, "sums must hold units*dims values");
    checkArgument(counts.length == units, "counts must hold one value per unit");
  }

  /**
   * The sums of two partitions of the same epoch (same codebook): the reduce step when the samples
   * are split across machines or devices, as in a map-reduce batch map. Addition order matters in
   * floating point: reduce partitions in a fixed order for deterministic results, or reduce {@link
   * FixedPointSums} instead, whose addition is exact in any order.
   *
   * @throws IllegalArgumentException when the shapes differ
   */
  public UnitSums plus(UnitSums other) {
    checkNotNull(other, "other");
    checkArgument(
        other.units == units && other.dims == dims,
        "cannot add sums for %sx%s to sums for %sx%s",
        other.units,
        other.dims,
        units,
        dims);
    double[] s = sums.clone();
    for (int i = 0; i < s.length; i++) {
      s[i] += other.sums[i];
    }
    long[] c = counts.clone();
    for (int i = 0; i < c.length; i++) {
      c[i] += other.counts[i];
    }
    return new UnitSums(units, dims, s, c, squaredError + other.squaredError);
  }

  /**
   * Applies a neighbourhood to these sums: {@code w'_j = sum_k h(j,k) S_k / sum_k h(j,k) c_k}
   * (Kohonen's batch map), keeping {@code w_j} where no sample pulls. Negative weights (the Mexican
   * hat's outer lobe) are treated as 0: with repulsion the batch ratio has no stable meaning (it
   * extrapolates, and repeated epochs push units out of the data), so the batch map uses the hat's
   * positive core and only the online rule applies the full wavelet.
   *
   * @param sums the reduction of the epoch
   * @param codebook the codebook the reduction was made against (kept where no sample pulls)
   * @param neighbourhood M × M weights, row j = the weights unit j gives each winner k
   */
  public static FloatMatrix smooth(UnitSums sums, FloatMatrix codebook, float[] neighbourhood) {
    int m = sums.units();
    int d = sums.dims();
    checkArgument(
        codebook.rows() == m && codebook.cols() == d,
        "codebook is %sx%s, the sums are for %sx%s",
        codebook.rows(),
        codebook.cols(),
        m,
        d);
    checkArgument(neighbourhood.length == (long) m * m, "neighbourhood must be M x M");
    // Only winners with samples contribute: list them once, so sparse maps stay cheap.
    int[] winners = new int[m];
    int nw = 0;
    for (int k = 0; k < m; k++) {
      if (sums.counts()[k] > 0) {
        winners[nw++] = k;
      }
    }
    float[] old = codebook.unsafeData();
    float[] out = new float[m * d];
    double[] s = sums.sums();
    long[] counts = sums.counts();
    int winnerCount = nw;
    // Units are independent, so the parallel loop gives the same result on any thread count.
    java.util.stream.IntStream.range(0, m)
        .parallel()
        .forEach(
            j -> {
              double[] acc = new double[d];
              double den = 0;
              int row = j * m;
              for (int t = 0; t < winnerCount; t++) {
                int k = winners[t];
                double h = neighbourhood[row + k];
                if (h <= 0) {
                  continue;
                }
                den += h * counts[k];
                int base = k * d;
                for (int c = 0; c < d; c++) {
                  acc[c] += h * s[base + c];
                }
              }
              if (den > 0) {
                for (int c = 0; c < d; c++) {
                  out[j * d + c] = (float) (acc[c] / den);
                }
              } else {
                System.arraycopy(old, j * d, out, j * d, d);
              }
            });
    return FloatMatrix.wrap(m, d, out);
  }
}
