package org.refinepoi.som.quality;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.stream.IntStream;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;

/**
 * Topographic error of a SOM level: the fraction of vectors whose best-matching unit and
 * second-best unit are not lattice neighbours ({@link LatticeSpec#adjacent}: 8 neighbours on a
 * rectangular lattice, 6 on a hexagonal one, wrap-around on a torus). Only defined where a level is
 * a SOM; topology-blind schemes have none.
 */
public final class TopographicError {

  private TopographicError() {}

  /**
   * The topographic error from precomputed best and second-best units.
   *
   * @throws IllegalArgumentException on arrays of different or zero length, or units outside the
   *     lattice
   */
  public static double of(int[] best, int[] second, LatticeSpec lattice) {
    checkNotNull(best, "best");
    checkNotNull(second, "second");
    checkNotNull(lattice, "lattice");
    checkArgument(
        best.length == second.length, "%s best but %s second units", best.length, second.length);
    checkArgument(best.length > 0, "no samples");
    int errors = 0;
    for (int i = 0; i < best.length; i++) {
      checkArgument(
          best[i] != second[i], "sample %s: best and second unit are both %s", i, best[i]);
      if (!lattice.adjacent(best[i], second[i])) {
        errors++;
      }
    }
    return (double) errors / best.length;
  }

  /**
   * The topographic error of a codebook on a lattice over some vectors. BMU and second-best unit by
   * exact squared Euclidean distance, the lowest unit index winning ties (so among equally close
   * units the BMU is the lowest and the second is the next lowest).
   *
   * @param vectors N × D
   * @param codebook one prototype per lattice unit, M × D with M = {@code lattice.size()} >= 2
   */
  public static double of(FloatMatrix vectors, FloatMatrix codebook, LatticeSpec lattice) {
    checkNotNull(vectors, "vectors");
    checkNotNull(codebook, "codebook");
    checkNotNull(lattice, "lattice");
    checkArgument(
        codebook.rows() == lattice.size(),
        "codebook has %s rows, the %sx%s lattice has %s units",
        codebook.rows(),
        lattice.rows(),
        lattice.cols(),
        lattice.size());
    checkArgument(lattice.size() >= 2, "topographic error needs at least two units");
    checkArgument(
        vectors.cols() == codebook.cols(),
        "vectors have %s columns, the codebook %s",
        vectors.cols(),
        codebook.cols());
    int n = vectors.rows();
    int m = codebook.rows();
    int d = vectors.cols();
    float[] x = vectors.unsafeData();
    float[] w = codebook.unsafeData();
    int[] best = new int[n];
    int[] second = new int[n];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              int b1 = -1;
              int b2 = -1;
              double d1 = Double.POSITIVE_INFINITY;
              double d2 = Double.POSITIVE_INFINITY;
              for (int j = 0; j < m; j++) {
                double s = 0;
                for (int e = 0; e < d; e++) {
                  double diff = (double) x[i * d + e] - w[j * d + e];
                  s += diff * diff;
                }
                // Strict comparisons: a later unit never displaces an equally close earlier one.
                if (s < d1) {
                  b2 = b1;
                  d2 = d1;
                  b1 = j;
                  d1 = s;
                } else if (s < d2) {
                  b2 = j;
                  d2 = s;
                }
              }
              best[i] = b1;
              second[i] = b2;
            });
    return of(best, second, lattice);
  }
}
