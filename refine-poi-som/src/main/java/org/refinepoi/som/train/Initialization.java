package org.refinepoi.som.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.SplittableRandom;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.SumFormat;

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
    long[] chosen = randomSampleRows(data.rows(), lattice.size(), seed);
    int[] rows = new int[chosen.length];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (int) chosen[i];
    }
    return data.selectRows(rows);
  }

  /**
   * The rows {@link #RANDOM_SAMPLES} picks, in codebook order: the first {@code m} entries of a
   * seeded partial Fisher-Yates shuffle of {@code 0..n-1} when {@code n >= m}, else {@code m} draws
   * with replacement. Memory O(m) whatever {@code n}, so a distributed trainer can pick the rows of
   * a data set of any size by their position and get the codebook the single-JVM trainer gets.
   *
   * @param n number of samples, >= 1
   * @param m number of units, >= 1
   * @param seed the seed
   * @return {@code m} row positions in {@code [0, n)}
   */
  public static long[] randomSampleRows(long n, int m, long seed) {
    checkArgument(n >= 1 && m >= 1, "need n, m >= 1, got n=%s m=%s", n, m);
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] rows = new long[m];
    if (n >= m) {
      // Partial Fisher-Yates on a sparse permutation: only the swapped entries are stored.
      java.util.Map<Long, Long> perm = new java.util.HashMap<>();
      for (int i = 0; i < m; i++) {
        long j = i + draw(rnd, n - i);
        long atI = perm.getOrDefault((long) i, (long) i);
        long atJ = perm.getOrDefault(j, j);
        perm.put(j, atI);
        perm.put((long) i, atJ);
        rows[i] = atJ;
      }
    } else {
      for (int i = 0; i < m; i++) {
        rows[i] = draw(rnd, n);
      }
    }
    return rows;
  }

  /**
   * A uniform draw in {@code [0, bound)}: the int stream below 2^31, as the matrix path always was.
   */
  private static long draw(SplittableRandom rnd, long bound) {
    return bound <= Integer.MAX_VALUE ? rnd.nextInt((int) bound) : rnd.nextLong(bound);
  }

  /**
   * PCA initialization; {@code viaGram} picks the n × n Gram-matrix route (used automatically when
   * there are fewer samples than features) instead of the d × d covariance.
   */
  static FloatMatrix pca(FloatMatrix data, LatticeSpec lattice, long seed, boolean viaGram) {
    int n = data.rows();
    int d = data.cols();
    SumFormat format = SumFormat.of(data);
    double[] mean = new PcaMoments.Sums(format).addAll(data).mean();
    if (!viaGram) {
      double[] cov = new PcaMoments.Covariance(format, mean).addAll(data).matrix();
      return pcaFromMoments(mean, cov, lattice, seed);
    }
    // Few samples (small child maps): the leading eigenvectors of the d x d covariance are
    // Xc^T u for the eigenvectors u of the n x n Gram matrix Xc Xc^T, with the same eigenvalues.
    float[] x = data.unsafeData();
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] v1 = new double[d];
    double[] v2 = new double[d];
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
    double l1 = Pca.leadingEigen(gram, n, rnd, u1, null);
    double l2 = n >= 2 ? Pca.leadingEigen(gram, n, rnd, u2, u1) : 0;
    Pca.toFeatureSpace(centred, n, d, u1, v1);
    Pca.toFeatureSpace(centred, n, d, u2, v2);
    return plane(mean, v1, l1, v2, l2, lattice);
  }

  /**
   * The {@link #PCA} codebook from the moments of the data ({@link PcaMoments}): the plane of the
   * covariance's two leading eigenvectors around the mean, as the matrix path builds it when there
   * are at least as many samples as features. A distributed trainer sums the moments over its
   * partitions and calls this on the driver.
   *
   * @param mean the D column means
   * @param covariance the D × D covariance, row-major
   * @param lattice the lattice
   * @param seed the seed (starts the power iteration)
   * @throws IllegalArgumentException when the shapes do not match
   */
  public static FloatMatrix pcaFromMoments(
      double[] mean, double[] covariance, LatticeSpec lattice, long seed) {
    checkNotNull(mean, "mean");
    checkNotNull(covariance, "covariance");
    checkNotNull(lattice, "lattice");
    int d = mean.length;
    checkArgument(
        d >= 1 && covariance.length == (long) d * d,
        "covariance must be %sx%s, got %s values",
        d,
        d,
        covariance.length);
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] v1 = new double[d];
    double[] v2 = new double[d];
    double l1 = Pca.leadingEigen(covariance, d, rnd, v1, null);
    double l2 = d >= 2 ? Pca.leadingEigen(covariance, d, rnd, v2, v1) : 0;
    return plane(mean, v1, l1, v2, l2, lattice);
  }

  /** Unit positions on the lattice, scaled to [-1, 1], along the two components. */
  private static FloatMatrix plane(
      double[] mean, double[] v1, double l1, double[] v2, double l2, LatticeSpec lattice) {
    int d = mean.length;
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
