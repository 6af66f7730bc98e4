package org.refinepoi.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RandomizedSvdTest {

  /**
   * Reference singular values by one-sided Jacobi (Hestenes): rotate column pairs of A until they
   * are orthogonal; the column norms are then the singular values. Independent of the code under
   * test (which uses a sketch and a two-sided Jacobi on B B^T).
   */
  static double[] referenceSingularValues(double[][] a) {
    int m = a.length;
    int n = a[0].length;
    double[][] cols = new double[n][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        cols[j][i] = a[i][j];
      }
    }
    for (int sweep = 0; sweep < 60; sweep++) {
      double maxCos = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          double alpha = RandomizedSvd.dot(cols[p], cols[p]);
          double beta = RandomizedSvd.dot(cols[q], cols[q]);
          double gamma = RandomizedSvd.dot(cols[p], cols[q]);
          if (gamma == 0 || alpha == 0 || beta == 0) {
            continue;
          }
          maxCos = Math.max(maxCos, Math.abs(gamma) / Math.sqrt(alpha * beta));
          double zeta = (beta - alpha) / (2 * gamma);
          double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          if (zeta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(1 + t * t);
          double s = c * t;
          for (int i = 0; i < m; i++) {
            double x = cols[p][i];
            double y = cols[q][i];
            cols[p][i] = c * x - s * y;
            cols[q][i] = s * x + c * y;
          }
        }
      }
      if (maxCos < 1e-15) {
        break;
      }
    }
    double[] sigma = new double[n];
    for (int j = 0; j < n; j++) {
      sigma[j] = Math.sqrt(RandomizedSvd.dot(cols[j], cols[j]));
    }
    Arrays.sort(sigma);
    double[] descending = new double[n];
    for (int j = 0; j < n; j++) {
      descending[j] = sigma[n - 1 - j];
    }
    return descending;
  }

  /** A sparse, non-negative, non-symmetric matrix like a PPMI matrix. */
  private static double[][] sparseMatrix(int n, double density, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (random.nextDouble() < density) {
          a[i][j] = random.nextDouble() * 3;
        }
      }
    }
    return a;
  }

  /** U diag(s) V^T with random orthonormal U, V and s_i = 0.7^i: a decaying spectrum. */
  private static double[][] decayingSpectrum(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] u = RandomizedSvd.orthonormalize(gaussian(n, n, random));
    double[][] v = RandomizedSvd.orthonormalize(gaussian(n, n, random));
    double[][] a = new double[n][n];
    for (int r = 0; r < n; r++) {
      double s = Math.pow(0.7, r);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[i][j] += s * u[r][i] * v[r][j];
        }
      }
    }
    return a;
  }

  private static double[][] gaussian(int k, int n, SplittableRandom random) {
    double[][] g = new double[k][n];
    for (double[] column : g) {
      for (int i = 0; i < n; i++) {
        column[i] = random.nextGaussian();
      }
    }
    return g;
  }

  @Test
  void fullWidthSketchRecoversTheExactSpectrum() {
    double[][] dense = sparseMatrix(60, 0.1, 3);
    double[] reference = referenceSingularValues(dense);
    // rank + oversampling >= n: the sketch spans everything, so the result is exact up to rounding.
    RandomizedSvd.Result svd = RandomizedSvd.compute(CsrMatrix.ofDense(dense), 10, 60, 1, 5);
    for (int r = 0; r < 10; r++) {
      assertThat(svd.singularValues()[r]).isCloseTo(reference[r], within(1e-9 * reference[0]));
    }
  }

  @Test
  void truncatedSvdOfADecayingSpectrumIsAccurate() {
    double[][] dense = decayingSpectrum(100, 11);
    double[] reference = referenceSingularValues(dense);
    assertThat(reference[0]).isCloseTo(1.0, within(1e-9)); // the construction is sound
    RandomizedSvd.Result svd = RandomizedSvd.compute(CsrMatrix.ofDense(dense), 8, 10, 4, 5);
    // Error bound: the 19th singular value (0.7^18 ~ 1.6e-3) to the power 2q+1 = 9 is ~1e-25, so
    // the leading 8 values are exact to double rounding; 1e-9 leaves room for the B B^T squaring.
    for (int r = 0; r < 8; r++) {
      assertThat(svd.singularValues()[r]).isCloseTo(reference[r], within(1e-9));
    }
  }

  @Test
  void leftVectorsAreOrthonormalAndSingular() {
    double[][] dense = sparseMatrix(80, 0.08, 9);
    CsrMatrix a = CsrMatrix.ofDense(dense);
    RandomizedSvd.Result svd = RandomizedSvd.compute(a, 6, 74, 2, 1);
    double[][] u = svd.leftVectors();
    for (int r = 0; r < u.length; r++) {
      for (int s = 0; s < u.length; s++) {
        assertThat(RandomizedSvd.dot(u[r], u[s])).isCloseTo(r == s ? 1 : 0, within(1e-9));
      }
    }
    // ||A^T u_r|| = sigma_r for a left singular vector.
    double[][] atu = a.transposeTimes(u);
    for (int r = 0; r < u.length; r++) {
      assertThat(Math.sqrt(RandomizedSvd.dot(atu[r], atu[r])))
          .isCloseTo(svd.singularValues()[r], within(1e-9));
    }
  }

  @Test
  void sameSeedSameResult() {
    CsrMatrix a = CsrMatrix.ofDense(sparseMatrix(70, 0.05, 2));
    RandomizedSvd.Result x = RandomizedSvd.compute(a, 5, 5, 2, 99);
    RandomizedSvd.Result y = RandomizedSvd.compute(a, 5, 5, 2, 99);
    assertThat(x.singularValues()).containsExactly(y.singularValues());
    assertThat(x.leftVectors()).isDeepEqualTo(y.leftVectors());
  }

  @Test
  void lowRankMatrixGivesZerosBeyondItsRank() {
    double[][] dense = new double[30][30];
    dense[0][1] = 2;
    dense[1][0] = 2;
    dense[5][7] = 1;
    RandomizedSvd.Result svd = RandomizedSvd.compute(CsrMatrix.ofDense(dense), 6, 4, 2, 3);
    assertThat(svd.singularValues()[0]).isCloseTo(2, within(1e-12));
    assertThat(svd.singularValues()[1]).isCloseTo(2, within(1e-12));
    assertThat(svd.singularValues()[2]).isCloseTo(1, within(1e-12));
    assertThat(svd.singularValues()[3]).isCloseTo(0, within(1e-12));
  }

  @Test
  void jacobiEigenReconstructsTheMatrix() {
    SplittableRandom random = new SplittableRandom(4);
    int n = 12;
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        m[i][j] = random.nextGaussian();
        m[j][i] = m[i][j];
      }
    }
    double[][] vectors = new double[n][n];
    double[] values = RandomizedSvd.jacobiEigen(m, vectors);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int e = 0; e < n; e++) {
          sum += vectors[i][e] * values[e] * vectors[j][e];
        }
        assertThat(sum).isCloseTo(m[i][j], within(1e-12));
      }
    }
  }

  @Property(tries = 30)
  void pairCounterMatchesANaiveCount(
      @ForAll @IntRange(min = 2, max = 40) int n,
      @ForAll @IntRange(min = 0, max = 3000) int pairs,
      @ForAll @IntRange(min = 1, max = 64) int buffer,
      @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    PairCounter counter = new PairCounter(n, buffer);
    Map<Long, Integer> naive = new HashMap<>();
    for (int k = 0; k < pairs; k++) {
      int i = random.nextInt(n);
      int j = random.nextInt(n);
      counter.add(i, j);
      if (i != j) {
        naive.merge((long) Math.min(i, j) * n + Math.max(i, j), 1, Integer::sum);
      }
    }
    double[][] dense = counter.toSymmetricCsr().toDense();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        int expected =
            i == j ? 0 : naive.getOrDefault((long) Math.min(i, j) * n + Math.max(i, j), 0);
        assertThat(dense[i][j]).isEqualTo(expected);
      }
    }
    CsrMatrix csr = counter.toSymmetricCsr();
    for (int i = 0; i < n; i++) {
      for (int e = csr.rowStart[i] + 1; e < csr.rowStart[i + 1]; e++) {
        assertThat(csr.columns[e]).isGreaterThan(csr.columns[e - 1]);
      }
    }
  }
}
