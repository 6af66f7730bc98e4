package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.stream.IntStream;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.train.Neighbourhood;

/**
 * The batch-map neighbourhood update {@code w'_j = sum_k h(j,k) S_k / sum_k h(j,k) c_k} for a
 * Gaussian neighbourhood on a rectangular lattice (planar or toroidal), computed without the M × M
 * weight matrix. There {@code h(j,k) = g(dx) g(dy)} with {@code g(d) = exp(-d^2 / (2 r^2))} and dx,
 * dy the (wrapped, on a torus) column and row offsets, so {@code H S} is a 1-D smoothing along each
 * lattice row followed by one along each column: O(M (R + C) D) instead of O(M^2 D).
 *
 * <p>It gives the dense path's ({@link UnitSums#smooth} with {@link
 * org.refinepoi.som.train.NeighbourhoodMatrix} weights) result up to rounding: the dense path
 * rounds each weight to float, this path keeps them in double, so sums agree to ~1e-7 relative. The
 * one place where float rounding changes the dense result by more is a unit whose nearest winner is
 * so far (in radii) that all its weights are float subnormals or 0: there the dense path keeps the
 * prototype (every weight 0) or averages with weights carrying a few significant bits. Such units
 * (nearest winner at {@code d^2 / (2 r^2) > 60}, or any distance > 0 at radius 0) are recomputed
 * from the dense path's float weights in the dense path's order, so they match it exactly,
 * including the rule that a unit with zero total weight keeps its prototype. All other units have a
 * weight >= e^-60 in their denominator, which bounds what the float cut-off drops to below 1e-20
 * relative per winner.
 *
 * <p>Every output value is computed by a fixed sequence of additions, so the result does not depend
 * on the number of threads.
 */
public final class SeparableGaussianSmoothing {

  /**
   * Units whose nearest winner lies beyond this exponent {@code d^2 / (2 r^2)} are computed from
   * float weights like the dense path: e^-60 is ~8.8e-27, far above float's normal minimum
   * (1.2e-38, e^-87.3), so below it no dense weight of such a unit's leading terms is distorted.
   */
  static final double FAR_EXPONENT = 60;

  private SeparableGaussianSmoothing() {}

  /**
   * Whether this path computes the update for a neighbourhood on a lattice: Gaussian on a
   * rectangular lattice. The bubble (a Euclidean disk), the triangle and the Mexican hat are not
   * products of per-axis functions, and hexagonal offsets do not split into rows and columns.
   */
  public static boolean applies(LatticeSpec lattice, Neighbourhood neighbourhood) {
    checkNotNull(lattice, "lattice");
    checkNotNull(neighbourhood, "neighbourhood");
    return neighbourhood == Neighbourhood.GAUSSIAN
        && lattice.topology() == LatticeSpec.Topology.RECTANGULAR;
  }

  /**
   * Applies the Gaussian neighbourhood at a radius to an epoch's sums.
   *
   * @param sums the epoch's per-unit sums and counts
   * @param codebook the codebook they were made against (kept where no sample pulls)
   * @param lattice a rectangular lattice with {@code sums.units()} cells
   * @param radius the Gaussian's sigma, >= 0 and finite (0: a Lloyd step)
   * @return the updated M × D codebook
   * @throws IllegalArgumentException when the lattice is not rectangular, the shapes differ or the
   *     radius is negative, NaN or infinite
   */
  public static FloatMatrix smooth(
      UnitSums sums, FloatMatrix codebook, LatticeSpec lattice, double radius) {
    checkNotNull(sums, "sums");
    checkNotNull(codebook, "codebook");
    checkNotNull(lattice, "lattice");
    checkArgument(
        lattice.topology() == LatticeSpec.Topology.RECTANGULAR,
        "separable smoothing needs a rectangular lattice, got %s",
        lattice.topology());
    checkArgument(radius >= 0 && Double.isFinite(radius), "radius must be >= 0, got %s", radius);
    int m = sums.units();
    int d = sums.dims();
    checkArgument(
        lattice.size() == m, "lattice has %s cells, the sums are for %s units", lattice.size(), m);
    checkArgument(
        codebook.rows() == m && codebook.cols() == d,
        "codebook is %sx%s, the sums are for %sx%s",
        codebook.rows(),
        codebook.cols(),
        m,
        d);
    int rows = lattice.rows();
    int cols = lattice.cols();
    boolean torus = lattice.toroidal();
    long[] counts = sums.counts();
    float[] old = codebook.unsafeData();
    float[] out = new float[m * d];

    boolean[] winner = new boolean[m];
    boolean anyWinner = false;
    for (int k = 0; k < m; k++) {
      winner[k] = counts[k] > 0;
      anyWinner |= winner[k];
    }
    if (!anyWinner) {
      System.arraycopy(old, 0, out, 0, out.length);
      return FloatMatrix.wrap(m, d, out);
    }

    // Channels 0..d-1 are the sums, channel d the count: both are smoothed the same way.
    int width = d + 1;
    double[] source = new double[m * width];
    double[] s = sums.sums();
    for (int k = 0; k < m; k++) {
      System.arraycopy(s, k * d, source, k * width, d);
      source[k * width + d] = counts[k];
    }
    double[] gx = axisWeights(cols, torus, radius);
    double[] gy = axisWeights(rows, torus, radius);

    // Pass 1, along each lattice row: t[r, c] = sum_c' g(|c - c'|) a[r, c'].
    double[] along = new double[m * width];
    IntStream.range(0, rows)
        .parallel()
        .forEach(
            r -> {
              int rowBase = r * cols;
              for (int c = 0; c < cols; c++) {
                int to = (rowBase + c) * width;
                for (int c2 = 0; c2 < cols; c2++) {
                  double g = gx[offset(c, c2, cols, torus)];
                  if (g == 0) {
                    continue;
                  }
                  int from = (rowBase + c2) * width;
                  for (int ch = 0; ch < width; ch++) {
                    along[to + ch] += g * source[from + ch];
                  }
                }
              }
            });
    // Pass 2, along each lattice column: u[r, c] = sum_r' g(|r - r'|) t[r', c], a whole lattice
    // row of channels at a time (contiguous).
    int rowSpan = cols * width;
    double[] smoothed = new double[m * width];
    IntStream.range(0, rows)
        .parallel()
        .forEach(
            r -> {
              int to = r * rowSpan;
              for (int r2 = 0; r2 < rows; r2++) {
                double g = gy[offset(r, r2, rows, torus)];
                if (g == 0) {
                  continue;
                }
                int from = r2 * rowSpan;
                for (int i = 0; i < rowSpan; i++) {
                  smoothed[to + i] += g * along[from + i];
                }
              }
            });

    long[] nearest = nearestWinnerSquaredDistance(winner, rows, cols, torus);
    int[] winners = IntStream.range(0, m).filter(k -> winner[k]).toArray();
    IntStream.range(0, m)
        .parallel()
        .forEach(
            j -> {
              boolean far =
                  radius == 0 ? nearest[j] > 0 : nearest[j] / (2 * radius * radius) > FAR_EXPONENT;
              if (far) {
                denseUnit(j, sums, old, out, winners, lattice, radius);
                return;
              }
              double den = smoothed[j * width + d];
              if (den > 0) {
                for (int c = 0; c < d; c++) {
                  out[j * d + c] = (float) (smoothed[j * width + c] / den);
                }
              } else {
                System.arraycopy(old, j * d, out, j * d, d);
              }
            });
    return FloatMatrix.wrap(m, d, out);
  }

  /** The lattice offset between two indices along an axis (the shorter way round on a torus). */
  private static int offset(int a, int b, int length, boolean torus) {
    int o = Math.abs(a - b);
    return torus ? Math.min(o, length - o) : o;
  }

  /**
   * The 1-D Gaussian weights along one lattice axis as a {@code length × length} row-major matrix:
   * entry {@code (a, b)} is {@code exp(-o^2 / (2 r^2))} with {@code o} the offset between positions
   * a and b (the shorter way round on a torus); 1 on the diagonal, also at radius 0. The full
   * neighbourhood of a rectangular lattice is the Kronecker product of the rows' and the columns'
   * matrices, which is how a backend that works in matrix products applies this smoothing.
   *
   * @throws IllegalArgumentException when the length is below 1 or the radius is negative, NaN or
   *     infinite
   */
  public static double[] axisMatrix(int length, boolean torus, double radius) {
    checkArgument(length >= 1, "length must be >= 1, got %s", length);
    checkArgument(radius >= 0 && Double.isFinite(radius), "radius must be >= 0, got %s", radius);
    double[] g = axisWeights(length, torus, radius);
    double[] out = new double[length * length];
    for (int a = 0; a < length; a++) {
      for (int b = 0; b < length; b++) {
        out[a * length + b] = g[offset(a, b, length, torus)];
      }
    }
    return out;
  }

  /** {@code g(o)} for every offset {@code o} along an axis of the given length. */
  private static double[] axisWeights(int length, boolean torus, double radius) {
    double[] g = new double[length];
    for (int o = 0; o < length; o++) {
      g[o] = Neighbourhood.GAUSSIAN.weight((double) o * o, radius);
    }
    return g;
  }

  /**
   * For every unit the squared lattice distance to the nearest winner, by an exact separable
   * distance transform (per row, then per column): O(M (R + C)). Units of a map without winners get
   * {@link Long#MAX_VALUE}.
   */
  static long[] nearestWinnerSquaredDistance(boolean[] winner, int rows, int cols, boolean torus) {
    long inf = Long.MAX_VALUE / 4;
    long[] inRow = new long[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        long best = inf;
        for (int c2 = 0; c2 < cols; c2++) {
          if (winner[r * cols + c2]) {
            long o = offset(c, c2, cols, torus);
            best = Math.min(best, o * o);
          }
        }
        inRow[r * cols + c] = best;
      }
    }
    long[] nearest = new long[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        long best = inf;
        for (int r2 = 0; r2 < rows; r2++) {
          long o = offset(r, r2, rows, torus);
          best = Math.min(best, o * o + inRow[r2 * cols + c]);
        }
        nearest[r * cols + c] = best >= inf ? Long.MAX_VALUE : best;
      }
    }
    return nearest;
  }

  /**
   * One unit's update exactly as {@link UnitSums#smooth} computes it from the float weights of
   * {@link org.refinepoi.som.train.NeighbourhoodMatrix}: winners in index order, weights rounded to
   * float, non-positive weights skipped, the prototype kept when the total weight is 0.
   */
  private static void denseUnit(
      int j,
      UnitSums sums,
      float[] old,
      float[] out,
      int[] winners,
      LatticeSpec lattice,
      double radius) {
    int d = sums.dims();
    double[] s = sums.sums();
    long[] counts = sums.counts();
    int cols = lattice.cols();
    int rows = lattice.rows();
    boolean torus = lattice.toroidal();
    int rj = j / cols;
    int cj = j % cols;
    double[] acc = new double[d];
    double den = 0;
    for (int k : winners) {
      double dx = offset(cj, k % cols, cols, torus);
      double dy = offset(rj, k / cols, rows, torus);
      double h = (float) Neighbourhood.GAUSSIAN.weight(dx * dx + dy * dy, radius);
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
  }
}
