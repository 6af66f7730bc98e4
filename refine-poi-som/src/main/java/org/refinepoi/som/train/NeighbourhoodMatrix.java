package org.refinepoi.som.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.sid.LatticeSpec;

/**
 * The M × M neighbourhood weights {@code h(j, k)} of a lattice at one radius, in the row-major
 * layout {@link org.refinepoi.som.backend.SomSession#batchEpoch} takes. Squared lattice distances
 * are computed once per lattice; each radius then costs one function evaluation per distinct
 * distance.
 */
public final class NeighbourhoodMatrix {

  private final LatticeSpec lattice;
  private final int[] distanceClass;
  private final double[] classSquaredDistance;

  /** Precomputes the lattice's pairwise squared distances (grouped into distinct values). */
  public NeighbourhoodMatrix(LatticeSpec lattice) {
    this.lattice = checkNotNull(lattice, "lattice");
    int m = lattice.size();
    checkArgument(
        (long) m * m <= Integer.MAX_VALUE - 8,
        "a %s-unit lattice is too large for a dense neighbourhood matrix",
        m);
    double[] x = new double[m];
    double[] y = new double[m];
    for (int j = 0; j < m; j++) {
      x[j] = lattice.x(j);
      y[j] = lattice.y(j);
    }
    double width = lattice.width();
    double height = lattice.height();
    boolean torus = lattice.toroidal();
    java.util.HashMap<Long, Integer> classes = new java.util.HashMap<>();
    java.util.ArrayList<Double> values = new java.util.ArrayList<>();
    this.distanceClass = new int[m * m];
    for (int j = 0; j < m; j++) {
      for (int k = 0; k < m; k++) {
        double dx = Math.abs(x[j] - x[k]);
        double dy = Math.abs(y[j] - y[k]);
        if (torus) {
          dx = Math.min(dx, width - dx);
          dy = Math.min(dy, height - dy);
        }
        double sq = dx * dx + dy * dy;
        // Round to 1e-9 so equal distances computed by different paths share a class.
        long key = Math.round(sq * 1e9);
        Integer c = classes.get(key);
        if (c == null) {
          c = values.size();
          classes.put(key, c);
          values.add(sq);
        }
        distanceClass[j * m + k] = c;
      }
    }
    this.classSquaredDistance = values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static final int CACHE_SIZE = 4;

  /** The last few lattices' matrices (they cost O(M^2) to build; training reuses one per map). */
  private static final java.util.Map<LatticeSpec, NeighbourhoodMatrix> CACHE =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<LatticeSpec, NeighbourhoodMatrix>(8, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(
                java.util.Map.Entry<LatticeSpec, NeighbourhoodMatrix> eldest) {
              return size() > CACHE_SIZE;
            }
          });

  /** A shared matrix for a lattice, built once and kept for the last few lattices used. */
  public static NeighbourhoodMatrix cached(LatticeSpec lattice) {
    checkNotNull(lattice, "lattice");
    NeighbourhoodMatrix m = CACHE.get(lattice);
    if (m == null) {
      m = new NeighbourhoodMatrix(lattice);
      CACHE.put(lattice, m);
    }
    return m;
  }

  /** The lattice. */
  public LatticeSpec lattice() {
    return lattice;
  }

  /** The weights {@code h(j,k)} for a neighbourhood at a radius, row-major M × M. */
  public float[] weights(Neighbourhood neighbourhood, double radius) {
    float[] perClass = classWeights(neighbourhood, radius);
    float[] h = new float[distanceClass.length];
    for (int i = 0; i < h.length; i++) {
      h[i] = perClass[distanceClass[i]];
    }
    return h;
  }

  /**
   * Number of distance classes: distinct squared lattice distances among the unit pairs (rounded to
   * 1e-9), between 1 and M × M.
   */
  public int classCount() {
    return classSquaredDistance.length;
  }

  /**
   * The distance class of every unit pair, row-major M × M, indexing {@link #classWeights}: what a
   * device uploads once per lattice to expand the weights itself. A fresh copy on every call.
   */
  public int[] classOfPair() {
    return distanceClass.clone();
  }

  /**
   * One weight per distance class ({@link #classCount()} values): {@link #weights} is these
   * expanded through {@link #classOfPair()}.
   *
   * @throws IllegalArgumentException when the radius is negative, NaN or infinite
   */
  public float[] classWeights(Neighbourhood neighbourhood, double radius) {
    checkNotNull(neighbourhood, "neighbourhood");
    checkArgument(radius >= 0 && Double.isFinite(radius), "radius must be >= 0, got %s", radius);
    float[] perClass = new float[classSquaredDistance.length];
    for (int c = 0; c < perClass.length; c++) {
      perClass[c] = (float) neighbourhood.weight(classSquaredDistance[c], radius);
    }
    return perClass;
  }
}
