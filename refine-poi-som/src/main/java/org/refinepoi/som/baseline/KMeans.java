package org.refinepoi.som.baseline;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * One level of k-means on a dense row-major double matrix: k-means++ seeding then Lloyd iterations.
 * Deterministic for a seed whatever the thread count: assignments are independent per row, and
 * centroid sums are accumulated in row order.
 */
final class KMeans {

  /** The result: centroids (k × d, row-major), each row's cluster, and the iterations run. */
  record Fit(double[] centroids, int[] assignment, int iterations, boolean converged) {}

  private KMeans() {}

  static Fit fit(double[] x, int n, int d, int k, int maxIterations, SplittableRandom random) {
    double[] centroids = seedPlusPlus(x, n, d, k, random);
    int[] assignment = new int[n];
    java.util.Arrays.fill(assignment, -1);
    double[] nearestDist = new double[n];
    int iterations = 0;
    boolean converged = false;
    while (iterations < maxIterations) {
      iterations++;
      boolean changed = assign(x, n, d, centroids, k, assignment, nearestDist);
      if (!changed && iterations > 1) {
        converged = true;
        break;
      }
      update(x, n, d, centroids, k, assignment, nearestDist);
    }
    if (!converged) {
      // Leave assignments consistent with the final centroids.
      assign(x, n, d, centroids, k, assignment, nearestDist);
    }
    return new Fit(centroids, assignment, iterations, converged);
  }

  /** k-means++: the first centre uniformly, each next one with probability ∝ squared distance. */
  static double[] seedPlusPlus(double[] x, int n, int d, int k, SplittableRandom random) {
    double[] c = new double[k * d];
    double[] d2 = new double[n];
    int first = random.nextInt(n);
    System.arraycopy(x, first * d, c, 0, d);
    for (int i = 0; i < n; i++) {
      d2[i] = sq(x, i * d, c, 0, d);
    }
    for (int j = 1; j < k; j++) {
      double total = 0;
      for (int i = 0; i < n; i++) {
        total += d2[i];
      }
      int pick;
      if (total <= 0) {
        pick = random.nextInt(n); // every row sits on a centre already: duplicates are unavoidable
      } else {
        double r = random.nextDouble() * total;
        pick = n - 1;
        double acc = 0;
        for (int i = 0; i < n; i++) {
          acc += d2[i];
          if (acc > r && d2[i] > 0) {
            pick = i;
            break;
          }
        }
      }
      System.arraycopy(x, pick * d, c, j * d, d);
      for (int i = 0; i < n; i++) {
        d2[i] = Math.min(d2[i], sq(x, i * d, c, j * d, d));
      }
    }
    return c;
  }

  /** Nearest centroid per row (lowest index on ties); returns whether any assignment changed. */
  static boolean assign(
      double[] x, int n, int d, double[] c, int k, int[] assignment, double[] nearestDist) {
    return IntStream.range(0, n)
            .parallel()
            .map(
                i -> {
                  int best = 0;
                  double bestD = Double.POSITIVE_INFINITY;
                  for (int j = 0; j < k; j++) {
                    double s = sq(x, i * d, c, j * d, d);
                    if (s < bestD) {
                      bestD = s;
                      best = j;
                    }
                  }
                  nearestDist[i] = bestD;
                  int old = assignment[i];
                  assignment[i] = best;
                  return old == best ? 0 : 1;
                })
            .sum()
        > 0;
  }

  /**
   * Centroids as the means of their rows. An empty cluster takes the row farthest from its centroid
   * (ties: the lowest row), which then leaves its cluster, as scikit-learn does.
   */
  static void update(
      double[] x, int n, int d, double[] c, int k, int[] assignment, double[] nearestDist) {
    double[] sums = new double[k * d];
    int[] counts = new int[k];
    for (int i = 0; i < n; i++) {
      int j = assignment[i];
      counts[j]++;
      for (int e = 0; e < d; e++) {
        sums[j * d + e] += x[i * d + e];
      }
    }
    boolean[] taken = new boolean[n];
    for (int j = 0; j < k; j++) {
      if (counts[j] > 0) {
        continue;
      }
      int far = -1;
      for (int i = 0; i < n; i++) {
        if (!taken[i]
            && counts[assignment[i]] > 1
            && (far < 0 || nearestDist[i] > nearestDist[far])) {
          far = i;
        }
      }
      if (far < 0) {
        continue; // fewer distinct rows than clusters: leave the centre where it is
      }
      taken[far] = true;
      int from = assignment[far];
      counts[from]--;
      for (int e = 0; e < d; e++) {
        sums[from * d + e] -= x[far * d + e];
        sums[j * d + e] = x[far * d + e];
      }
      counts[j] = 1;
      assignment[far] = j;
      nearestDist[far] = 0;
    }
    for (int j = 0; j < k; j++) {
      if (counts[j] > 0) {
        for (int e = 0; e < d; e++) {
          c[j * d + e] = sums[j * d + e] / counts[j];
        }
      }
    }
  }

  static double sq(double[] a, int ao, double[] b, int bo, int d) {
    double s = 0;
    for (int e = 0; e < d; e++) {
      double diff = a[ao + e] - b[bo + e];
      s += diff * diff;
    }
    return s;
  }
}
