package org.refinepoi.core.features;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Truncated SVD of a sparse square matrix by randomized subspace iteration (Halko, Martinsson and
 * Tropp 2011, algorithms 4.4 and 5.1): a Gaussian sketch of {@code rank + oversampling} columns,
 * {@code powerIterations} rounds of re-orthonormalized products with A and A^T, then the exact SVD
 * of the small projected matrix through a Jacobi eigen-decomposition of {@code B B^T}. Only
 * products with the sparse matrix touch N; the dense work is O(N k^2) with k the sketch width, so
 * an N x N dense matrix is never formed. Deterministic in the seed.
 */
final class RandomizedSvd {

  /** Leading singular values (descending) and left singular vectors as columns. */
  record Result(double[] singularValues, double[][] leftVectors) {}

  private RandomizedSvd() {}

  /** {@link #compute(CsrMatrix, int, int, int, long[])} with row seeds drawn from one seed. */
  static Result compute(CsrMatrix a, int rank, int oversampling, int powerIterations, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] rowSeeds = new long[a.size];
    for (int i = 0; i < rowSeeds.length; i++) {
      rowSeeds[i] = random.nextLong();
    }
    return compute(a, rank, oversampling, powerIterations, rowSeeds);
  }

  /**
   * The truncated SVD with the sketch's row {@code i} drawn from {@code rowSeeds[i]} alone: when
   * the seed belongs to the row's item (a hash of its id), permuting the matrix's rows and columns
   * permutes the result the same way (up to rounding), so it does not depend on the order of the
   * catalogue.
   */
  static Result compute(
      CsrMatrix a, int rank, int oversampling, int powerIterations, long[] rowSeeds) {
    checkArgument(rank >= 1, "rank must be >= 1, got %s", rank);
    checkArgument(oversampling >= 0, "oversampling must be >= 0, got %s", oversampling);
    checkArgument(powerIterations >= 0, "powerIterations must be >= 0");
    int n = a.size;
    checkArgument(rowSeeds.length == n, "%s row seeds for %s rows", rowSeeds.length, n);
    int k = Math.min(n, rank + oversampling);
    double[][] omega = new double[k][n];
    for (int i = 0; i < n; i++) {
      SplittableRandom random = new SplittableRandom(rowSeeds[i]);
      for (double[] column : omega) {
        column[i] = random.nextGaussian();
      }
    }
    double[][] q = orthonormalize(a.times(omega));
    for (int it = 0; it < powerIterations; it++) {
      double[][] z = orthonormalize(a.transposeTimes(q));
      q = orthonormalize(a.times(z));
    }
    // B = Q^T A is k x n; B^T = A^T Q, stored as k columns of length n.
    double[][] bt = a.transposeTimes(q);
    double[][] gram = new double[k][k];
    for (int r = 0; r < k; r++) {
      for (int c = r; c < k; c++) {
        double dot = dot(bt[r], bt[c]);
        gram[r][c] = dot;
        gram[c][r] = dot;
      }
    }
    double[][] eigenvectors = new double[k][k];
    double[] eigenvalues = jacobiEigen(gram, eigenvectors);
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(eigenvalues[y], eigenvalues[x]));
    int kept = Math.min(rank, k);
    double[] sigma = new double[kept];
    double[][] u = new double[kept][n];
    for (int r = 0; r < kept; r++) {
      int e = order[r];
      sigma[r] = Math.sqrt(Math.max(0, eigenvalues[e]));
      // U = Q W: the left singular vectors in the original space.
      for (int c = 0; c < k; c++) {
        double w = eigenvectors[c][e];
        if (w != 0) {
          double[] qc = q[c];
          double[] ur = u[r];
          for (int i = 0; i < n; i++) {
            ur[i] += w * qc[i];
          }
        }
      }
      fixSign(u[r]);
    }
    return new Result(sigma, u);
  }

  /** Flips a vector so its largest-magnitude entry is positive: a deterministic sign. */
  private static void fixSign(double[] v) {
    int arg = 0;
    for (int i = 1; i < v.length; i++) {
      if (Math.abs(v[i]) > Math.abs(v[arg])) {
        arg = i;
      }
    }
    if (v[arg] < 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = -v[i];
      }
    }
  }

  /**
   * Orthonormal columns spanning the given ones, by modified Gram-Schmidt applied twice (which
   * keeps orthogonality at machine precision). A column that vanishes (the span has lower rank)
   * becomes zero and stays out of later projections.
   */
  static double[][] orthonormalize(double[][] columns) {
    int k = columns.length;
    double[][] q = new double[k][];
    for (int c = 0; c < k; c++) {
      double[] v = columns[c].clone();
      double original = Math.sqrt(dot(v, v));
      for (int pass = 0; pass < 2; pass++) {
        for (int p = 0; p < c; p++) {
          double proj = dot(q[p], v);
          if (proj != 0) {
            double[] qp = q[p];
            for (int i = 0; i < v.length; i++) {
              v[i] -= proj * qp[i];
            }
          }
        }
      }
      double norm = Math.sqrt(dot(v, v));
      if (norm <= 1e-10 * Math.max(original, Double.MIN_NORMAL) || norm == 0) {
        Arrays.fill(v, 0);
      } else {
        for (int i = 0; i < v.length; i++) {
          v[i] /= norm;
        }
      }
      q[c] = v;
    }
    return q;
  }

  static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  /**
   * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations. Returns the
   * eigenvalues (unsorted); fills {@code vectors} with the eigenvectors as columns ({@code
   * vectors[row][eigenIndex]}). The input is not modified.
   */
  static double[] jacobiEigen(double[][] symmetric, double[][] vectors) {
    int n = symmetric.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = symmetric[i].clone();
      Arrays.fill(vectors[i], 0);
      vectors[i][i] = 1;
    }
    double scale = 0;
    for (double[] row : a) {
      for (double v : row) {
        scale += v * v;
      }
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          off += a[i][j] * a[i][j];
        }
      }
      if (off <= 1e-30 * scale || off == 0) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int r = p + 1; r < n; r++) {
          if (a[p][r] == 0) {
            continue;
          }
          double theta = (a[r][r] - a[p][p]) / (2 * a[p][r]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int i = 0; i < n; i++) {
            double aip = a[i][p];
            double air = a[i][r];
            a[i][p] = c * aip - s * air;
            a[i][r] = s * aip + c * air;
          }
          for (int i = 0; i < n; i++) {
            double api = a[p][i];
            double ari = a[r][i];
            a[p][i] = c * api - s * ari;
            a[r][i] = s * api + c * ari;
          }
          for (int i = 0; i < n; i++) {
            double vip = vectors[i][p];
            double vir = vectors[i][r];
            vectors[i][p] = c * vip - s * vir;
            vectors[i][r] = s * vip + c * vir;
          }
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = a[i][i];
    }
    return values;
  }
}
