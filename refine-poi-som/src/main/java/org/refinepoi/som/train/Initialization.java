package org.refinepoi.som.train;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.SplittableRandom;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;

/** How a codebook starts, before the first epoch. */
public enum Initialization {
  /**
   * The plane of the two leading principal components: unit positions on the lattice, scaled to
   * [-1, 1] along each axis, times {@code sqrt(eigenvalue)} along each component, around the mean.
   * The longer lattice axis takes the first component. Sign of each component fixed so its
   * largest-magnitude coordinate is positive (deterministic); the seed only starts the power
   * iteration.
   */
  PCA,
  /** M distinct samples drawn with the seed (with replacement only when {@code N < M}). */
  RANDOM_SAMPLES;

  /**
   * An initial codebook for a lattice.
   *
   * @param data the training samples (N × D)
   * @param lattice the lattice (M = rows × cols units)
   * @param seed the random seed
   * @return an M × D codebook in row-major lattice order
   */
  public FloatMatrix initialize(FloatMatrix data, LatticeSpec lattice, long seed) {
    checkNotNull(data, "data");
    checkNotNull(lattice, "lattice");
    return switch (this) {
      case PCA -> pca(data, lattice, seed, data.rows() < data.cols());
      case RANDOM_SAMPLES -> randomSamples(data, lattice, seed);
    };
  }

  private static FloatMatrix randomSamples(FloatMatrix data, LatticeSpec lattice, long seed) {
    int n = data.rows();
    int m = lattice.size();
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] rows = new int[m];
    if (n >= m) {
      // Partial Fisher-Yates: the first m entries of a shuffled 0..n-1.
      int[] perm = new int[n];
      for (int i = 0; i < n; i++) {
        perm[i] = i;
      }
      for (int i = 0; i < m; i++) {
        int j = i + rnd.nextInt(n - i);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
        rows[i] = perm[i];
      }
    } else {
      for (int i = 0; i < m; i++) {
        rows[i] = rnd.nextInt(n);
      }
    }
    return data.selectRows(rows);
  }

  /**
   * PCA initialization; {@code viaGram} picks the n × n Gram-matrix route (used automatically when
   * there are fewer samples than features) instead of the d × d covariance.
   */
  static FloatMatrix pca(FloatMatrix data, LatticeSpec lattice, long seed, boolean viaGram) {
    int n = data.rows();
    int d = data.cols();
    float[] x = data.unsafeData();
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        mean[c] += x[i * d + c];
      }
    }
    for (int c = 0; c < d; c++) {
      mean[c] /= n;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] v1 = new double[d];
    double[] v2 = new double[d];
    double l1;
    double l2;
    if (viaGram) {
      // Few samples (small child maps): the leading eigenvectors of the d x d covariance are
      // Xc^T u for the eigenvectors u of the n x n Gram matrix Xc Xc^T, with the same eigenvalues.
      double[] centred = new double[n * d];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < d; c++) {
          centred[i * d + c] = x[i * d + c] - mean[c];
        }
      }
      double[] gram = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          double s = 0;
          for (int c = 0; c < d; c++) {
            s += centred[i * d + c] * centred[j * d + c];
          }
          gram[i * n + j] = s / Math.max(1, n - 1);
          gram[j * n + i] = gram[i * n + j];
        }
      }
      double[] u1 = new double[n];
      double[] u2 = new double[n];
      l1 = Pca.leadingEigen(gram, n, rnd, u1, null);
      l2 = n >= 2 ? Pca.leadingEigen(gram, n, rnd, u2, u1) : 0;
      Pca.toFeatureSpace(centred, n, d, u1, v1);
      Pca.toFeatureSpace(centred, n, d, u2, v2);
    } else {
      double[] cov = new double[d * d];
      double[] row = new double[d];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < d; c++) {
          row[c] = x[i * d + c] - mean[c];
        }
        for (int a = 0; a < d; a++) {
          double ra = row[a];
          if (ra == 0) {
            continue;
          }
          int base = a * d;
          for (int b = a; b < d; b++) {
            cov[base + b] += ra * row[b];
          }
        }
      }
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          cov[a * d + b] /= Math.max(1, n - 1);
          cov[b * d + a] = cov[a * d + b];
        }
      }
      l1 = Pca.leadingEigen(cov, d, rnd, v1, null);
      l2 = d >= 2 ? Pca.leadingEigen(cov, d, rnd, v2, v1) : 0;
    }
    double s1 = Math.sqrt(Math.max(0, l1));
    double s2 = Math.sqrt(Math.max(0, l2));

    int m = lattice.size();
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (int j = 0; j < m; j++) {
      minX = Math.min(minX, lattice.x(j));
      maxX = Math.max(maxX, lattice.x(j));
      minY = Math.min(minY, lattice.y(j));
      maxY = Math.max(maxY, lattice.y(j));
    }
    boolean xFirst = (maxX - minX) >= (maxY - minY);
    float[] w = new float[m * d];
    for (int j = 0; j < m; j++) {
      double u = scale(lattice.x(j), minX, maxX);
      double v = scale(lattice.y(j), minY, maxY);
      double a = xFirst ? u : v;
      double b = xFirst ? v : u;
      for (int c = 0; c < d; c++) {
        w[j * d + c] = (float) (mean[c] + a * s1 * v1[c] + b * s2 * v2[c]);
      }
    }
    return FloatMatrix.wrap(m, d, w);
  }

  private static double scale(double value, double min, double max) {
    return max > min ? 2 * (value - min) / (max - min) - 1 : 0;
  }
}
