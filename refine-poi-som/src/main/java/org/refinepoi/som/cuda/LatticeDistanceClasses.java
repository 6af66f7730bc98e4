package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.train.Neighbourhood;
import org.refinepoi.som.train.NeighbourhoodMatrix;

/**
 * The unit pairs of a lattice grouped by their squared lattice distance: the host's {@link
 * NeighbourhoodMatrix} grouping (distances rounded to 1e-9 share a class), shared rather than
 * recomputed, so device and host weights agree by construction. A neighbourhood at a radius is then
 * one weight per class (a few hundred evaluations for a 64 × 64 lattice instead of 16.7 million),
 * and the device expands it into the M × M matrix.
 */
final class LatticeDistanceClasses {

  private final LatticeSpec lattice;
  private final NeighbourhoodMatrix matrix;

  LatticeDistanceClasses(LatticeSpec lattice) {
    this.lattice = checkNotNull(lattice, "lattice");
    int m = lattice.size();
    checkArgument(
        (long) m * m <= Integer.MAX_VALUE - 8, "a %s-unit lattice is too large for device H", m);
    this.matrix = NeighbourhoodMatrix.cached(lattice);
  }

  LatticeSpec lattice() {
    return lattice;
  }

  /** The class of every unit pair, row-major M × M (a fresh array, for the upload). */
  int[] classOfPair() {
    return matrix.classOfPair();
  }

  /** Number of distinct squared distances. */
  int classes() {
    return matrix.classCount();
  }

  /** One weight per class, exactly as the host neighbourhood matrix computes them. */
  float[] weights(Neighbourhood neighbourhood, double radius) {
    return matrix.classWeights(neighbourhood, radius);
  }

  /** The full M × M matrix on the host (the device's {@code som_gather_weights}, for tests). */
  float[] expand(float[] weightOfClass) {
    int[] classOfPair = matrix.classOfPair();
    float[] h = new float[classOfPair.length];
    for (int i = 0; i < h.length; i++) {
      h[i] = weightOfClass[classOfPair[i]];
    }
    return h;
  }
}
