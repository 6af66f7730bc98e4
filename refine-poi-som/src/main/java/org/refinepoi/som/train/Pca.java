package org.refinepoi.som.train;

import java.util.SplittableRandom;

/** Leading eigenvectors of a small symmetric covariance matrix, by power iteration. */
final class Pca {

  private static final int MAX_ITERATIONS = 500;
  private static final double TOLERANCE = 1e-8;

  private Pca() {}

  /**
   * The leading eigenvector of {@code cov} (d × d, symmetric positive semi-definite), optionally
   * orthogonal to {@code exclude} (deflation for the second component). Writes the unit vector into
   * {@code out} with its largest-magnitude coordinate positive, and returns the eigenvalue (0 when
   * the matrix has no variance in the remaining directions).
   */
  static double leadingEigen(
      double[] cov, int d, SplittableRandom rnd, double[] out, double[] exclude) {
    double[] v = new double[d];
    for (int c = 0; c < d; c++) {
      v[c] = rnd.nextDouble() - 0.5;
    }
    project(v, exclude);
    if (normalize(v) == 0) {
      return 0;
    }
    double lambda = 0;
    double[] next = new double[d];
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      for (int a = 0; a < d; a++) {
        double s = 0;
        int base = a * d;
        for (int b = 0; b < d; b++) {
          s += cov[base + b] * v[b];
        }
        next[a] = s;
      }
      project(next, exclude);
      double norm = normalize(next);
      if (norm == 0) {
        java.util.Arrays.fill(out, 0);
        return 0;
      }
      double delta = 0;
      for (int c = 0; c < d; c++) {
        delta = Math.max(delta, Math.abs(next[c] - v[c]));
      }
      System.arraycopy(next, 0, v, 0, d);
      lambda = norm;
      if (delta < TOLERANCE) {
        break;
      }
    }
    int argmax = 0;
    for (int c = 1; c < d; c++) {
      if (Math.abs(v[c]) > Math.abs(v[argmax])) {
        argmax = c;
      }
    }
    double sign = v[argmax] < 0 ? -1 : 1;
    for (int c = 0; c < d; c++) {
      out[c] = sign * v[c];
    }
    return lambda;
  }

  /**
   * Maps an eigenvector u of the Gram matrix to the unit eigenvector {@code Xc^T u / |Xc^T u|} of
   * the covariance, sign-fixed like {@link #leadingEigen} (all zeros when u is in the null space).
   */
  static void toFeatureSpace(double[] centred, int n, int d, double[] u, double[] out) {
    java.util.Arrays.fill(out, 0);
    for (int i = 0; i < n; i++) {
      double ui = u[i];
      if (ui == 0) {
        continue;
      }
      for (int c = 0; c < d; c++) {
        out[c] += ui * centred[i * d + c];
      }
    }
    if (normalize(out) == 0) {
      return;
    }
    fixSign(out);
  }

  private static void fixSign(double[] v) {
    int argmax = 0;
    for (int c = 1; c < v.length; c++) {
      if (Math.abs(v[c]) > Math.abs(v[argmax])) {
        argmax = c;
      }
    }
    if (v[argmax] < 0) {
      for (int c = 0; c < v.length; c++) {
        v[c] = -v[c];
      }
    }
  }

  private static void project(double[] v, double[] exclude) {
    if (exclude == null) {
      return;
    }
    double dot = 0;
    for (int c = 0; c < v.length; c++) {
      dot += v[c] * exclude[c];
    }
    for (int c = 0; c < v.length; c++) {
      v[c] -= dot * exclude[c];
    }
  }

  private static double normalize(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    double norm = Math.sqrt(s);
    if (norm < 1e-300) {
      return 0;
    }
    for (int c = 0; c < v.length; c++) {
      v[c] /= norm;
    }
    return norm;
  }
}
