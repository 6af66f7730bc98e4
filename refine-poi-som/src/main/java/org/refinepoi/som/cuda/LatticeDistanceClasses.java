package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.train.Neighbourhood;

/**
 * The unit pairs of a lattice grouped by their squared lattice distance, the same grouping as
 * {@link org.refinepoi.som.train.NeighbourhoodMatrix}: distances rounded to 1e-9 share a class. A
 * neighbourhood at a radius is then one weight per class (a few hundred evaluations for a 64 × 64
 * lattice instead of 16.7 million), and the device expands it into the M × M matrix.
 */
final class LatticeDistanceClasses {

  private final LatticeSpec lattice;
  private final int[] classOfPair;
  private final double[] squaredDistanceOfClass;

  LatticeDistanceClasses(LatticeSpec lattice) {
    this.lattice = checkNotNull(lattice, "lattice");
    int m = lattice.size();
    checkArgument(
        (long) m * m <= Integer.MAX_VALUE - 8, "a %s-unit lattice is too large for device H", m);
    double[] x = new double[m];
    double[] y = new double[m];
    for (int j = 0; j < m; j++) {
      x[j] = lattice.x(j);
      y[j] = lattice.y(j);
    }
    Map<Long, Integer> classes = new HashMap<>();
    List<Double> values = new ArrayList<>();
    classOfPair = new int[m * m];
    for (int j = 0; j < m; j++) {
      for (int k = 0; k < m; k++) {
        double dx = Math.abs(x[j] - x[k]);
        double dy = Math.abs(y[j] - y[k]);
        if (lattice.toroidal()) {
          dx = Math.min(dx, lattice.width() - dx);
          dy = Math.min(dy, lattice.height() - dy);
        }
        double sq = dx * dx + dy * dy;
        long key = Math.round(sq * 1e9);
        Integer c = classes.get(key);
        if (c == null) {
          c = values.size();
          classes.put(key, c);
          values.add(sq);
        }
        classOfPair[j * m + k] = c;
      }
    }
    squaredDistanceOfClass = values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  LatticeSpec lattice() {
    return lattice;
  }

  /** The class of every unit pair, row-major M × M. */
  int[] classOfPair() {
    return classOfPair;
  }

  /** Number of distinct squared distances. */
  int classes() {
    return squaredDistanceOfClass.length;
  }

  /** One weight per class, exactly as the host neighbourhood matrix computes them. */
  float[] weights(Neighbourhood neighbourhood, double radius) {
    checkNotNull(neighbourhood, "neighbourhood");
    checkArgument(radius >= 0 && Double.isFinite(radius), "radius must be >= 0, got %s", radius);
    float[] w = new float[squaredDistanceOfClass.length];
    for (int c = 0; c < w.length; c++) {
      w[c] = (float) neighbourhood.weight(squaredDistanceOfClass[c], radius);
    }
    return w;
  }

  /** The full M × M matrix on the host (the device's {@code som_gather_weights}, for tests). */
  float[] expand(float[] weightOfClass) {
    float[] h = new float[classOfPair.length];
    for (int i = 0; i < h.length; i++) {
      h[i] = weightOfClass[classOfPair[i]];
    }
    return h;
  }
}
