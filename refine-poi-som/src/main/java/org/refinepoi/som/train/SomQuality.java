package org.refinepoi.som.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuResult;

/**
 * Map quality: quantization error, topographic error and the U-matrix. Neighbourhood on the lattice
 * is {@link LatticeSpec#adjacent}, so the measures are right on hexagonal and toroidal lattices.
 */
public final class SomQuality {

  private SomQuality() {}

  /** Mean Euclidean distance from each sample to its BMU. */
  public static double quantizationError(BmuResult bmus) {
    checkNotNull(bmus, "bmus");
    return bmus.quantizationError();
  }

  /**
   * Fraction of samples whose best and second-best units are not lattice neighbours.
   *
   * @param bmus BMUs with second-best units ({@code bmu(codebook, true)})
   */
  public static double topographicError(BmuResult bmus, LatticeSpec lattice) {
    checkNotNull(bmus, "bmus");
    checkNotNull(lattice, "lattice");
    checkArgument(bmus.second() != null, "topographic error needs second-best units");
    int errors = 0;
    int[] best = bmus.best();
    int[] second = bmus.second();
    for (int i = 0; i < best.length; i++) {
      if (!lattice.adjacent(best[i], second[i])) {
        errors++;
      }
    }
    return (double) errors / best.length;
  }

  /**
   * The U-matrix: for every unit, the mean Euclidean distance between its prototype and the
   * prototypes of its lattice neighbours (0 for a unit without neighbours, as on a 1 × 1 lattice).
   *
   * @return one value per unit, row-major lattice order
   */
  public static double[] uMatrix(LatticeSpec lattice, FloatMatrix codebook) {
    checkNotNull(lattice, "lattice");
    checkNotNull(codebook, "codebook");
    checkArgument(
        codebook.rows() == lattice.size(), "codebook rows must equal the lattice's units");
    int m = lattice.size();
    int d = codebook.cols();
    float[] w = codebook.unsafeData();
    double[] out = new double[m];
    for (int j = 0; j < m; j++) {
      int r = lattice.row(j);
      int c = lattice.col(j);
      double sum = 0;
      int count = 0;
      // Every neighbour (rectangular or hexagonal, planar or toroidal) is within one row and one
      // column; the set below removes duplicates on lattices narrower than 3.
      java.util.TreeSet<Integer> seen = new java.util.TreeSet<>();
      for (int dr = -1; dr <= 1; dr++) {
        for (int dc = -1; dc <= 1; dc++) {
          int rr = r + dr;
          int cc = c + dc;
          if (lattice.toroidal()) {
            rr = Math.floorMod(rr, lattice.rows());
            cc = Math.floorMod(cc, lattice.cols());
          }
          if (rr < 0 || rr >= lattice.rows() || cc < 0 || cc >= lattice.cols()) {
            continue;
          }
          int k = lattice.cell(rr, cc);
          if (seen.add(k) && lattice.adjacent(j, k)) {
            double s = 0;
            for (int e = 0; e < d; e++) {
              double diff = (double) w[j * d + e] - w[k * d + e];
              s += diff * diff;
            }
            sum += Math.sqrt(s);
            count++;
          }
        }
      }
      out[j] = count == 0 ? 0 : sum / count;
    }
    return out;
  }
}
