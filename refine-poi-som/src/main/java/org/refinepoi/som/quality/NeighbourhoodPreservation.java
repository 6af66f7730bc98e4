package org.refinepoi.som.quality;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Trustworthiness and continuity at {@code k} (Venna and Kaski, 2001/2006) between an input space
 * (POI embeddings) and an output space (semantic IDs), each given as a distance between points
 * {@code 0..n-1}.
 *
 * <pre>
 *   T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in U_k(i)} (r(i, j) - k)
 *   C(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in V_k(i)} (r'(i, j) - k)
 * </pre>
 *
 * where {@code U_k(i)} holds the output-space k nearest neighbours of {@code i} that are not among
 * its input-space k nearest, {@code r(i, j)} is the rank (1 = nearest, {@code i} itself excluded)
 * of {@code j} among {@code i}'s input-space neighbours, and {@code V_k(i)}, {@code r'} swap the
 * roles. Trustworthiness penalizes ID neighbours that are not embedding neighbours; continuity,
 * embedding neighbours the IDs pull apart. Both are 1 when the two neighbourhoods agree.
 *
 * <p><b>Ties.</b> Semantic-ID distances take few distinct values, so ties are the rule: a
 * topology-blind code puts all POIs of another level-1 cell at the same distance. Ties are broken,
 * in both spaces, by one fixed order of the points: a permutation drawn from the seed. This order
 * is independent of the data's row order (which often follows category or location and would leak
 * information into the ranking), and the same seed gives the same result. A tie broken this way
 * rewards a scheme exactly as much as chance would.
 *
 * <p><b>Queries.</b> With {@code maxQueries < n} the sums run over a seeded sample of query points
 * and the normalization uses the sample size instead of {@code n} (neighbours are still searched
 * among all points), an unbiased estimate of the full measure.
 */
public final class NeighbourhoodPreservation {

  /** Distance between two points of a space, by index. */
  @FunctionalInterface
  public interface PairDistance {
    /** The distance between points {@code i} and {@code j}; symmetric, 0 when {@code i == j}. */
    double between(int i, int j);
  }

  /**
   * Trustworthiness and continuity at k.
   *
   * @param k the neighbourhood size
   * @param queries number of query points the sums ran over
   * @param trustworthiness T(k) in [0, 1]
   * @param continuity C(k) in [0, 1]
   */
  public record Result(int k, int queries, double trustworthiness, double continuity) {}

  private NeighbourhoodPreservation() {}

  /**
   * Computes T(k) and C(k).
   *
   * @param n number of points, with {@code 1 <= k < n / 2}
   * @param input distance in the input (embedding) space
   * @param output distance in the output (ID) space
   * @param maxQueries query points to average over; 0 or at least {@code n} means all
   * @param seed seeds the tie-break order and the query sample
   */
  public static Result compute(
      int n, PairDistance input, PairDistance output, int k, int maxQueries, long seed) {
    checkNotNull(input, "input");
    checkNotNull(output, "output");
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    checkArgument(2 * k < n, "trustworthiness needs k < n / 2, got k = %s for n = %s", k, n);
    checkArgument(maxQueries >= 0, "maxQueries must be >= 0, got %s", maxQueries);
    SplittableRandom random = new SplittableRandom(seed);
    int[] permutation = shuffled(n, random);
    int[] tieRank = new int[n];
    for (int p = 0; p < n; p++) {
      tieRank[permutation[p]] = p;
    }
    int[] queries;
    if (maxQueries == 0 || maxQueries >= n) {
      queries = IntStream.range(0, n).toArray();
    } else {
      queries = java.util.Arrays.copyOf(shuffled(n, random), maxQueries);
      java.util.Arrays.sort(queries);
    }
    long[] sums =
        IntStream.of(queries)
            .parallel()
            .mapToObj(i -> penalties(n, i, input, output, k, tieRank))
            .reduce(new long[2], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    double norm = 2.0 / ((double) queries.length * k * (2.0 * n - 3.0 * k - 1.0));
    return new Result(k, queries.length, 1 - norm * sums[0], 1 - norm * sums[1]);
  }

  /** {trust penalty, continuity penalty} of one query point. */
  private static long[] penalties(
      int n, int i, PairDistance input, PairDistance output, int k, int[] tieRank) {
    double[] din = new double[n];
    double[] dout = new double[n];
    for (int j = 0; j < n; j++) {
      if (j != i) {
        din[j] = input.between(i, j);
        dout[j] = output.between(i, j);
      }
    }
    int[] inKnn = nearest(n, i, din, k, tieRank);
    int[] outKnn = nearest(n, i, dout, k, tieRank);
    boolean[] inSet = new boolean[n];
    boolean[] outSet = new boolean[n];
    for (int t = 0; t < k; t++) {
      inSet[inKnn[t]] = true;
      outSet[outKnn[t]] = true;
    }
    long trust = 0;
    long cont = 0;
    for (int t = 0; t < k; t++) {
      int j = outKnn[t];
      if (!inSet[j]) {
        trust += rank(n, i, j, din, tieRank) - k;
      }
      int h = inKnn[t];
      if (!outSet[h]) {
        cont += rank(n, i, h, dout, tieRank) - k;
      }
    }
    return new long[] {trust, cont};
  }

  private static boolean closer(double da, int a, double db, int b, int[] tieRank) {
    return da < db || (da == db && tieRank[a] < tieRank[b]);
  }

  /** 1-based rank of j among the points other than i, by (distance, tie rank). */
  private static int rank(int n, int i, int j, double[] dist, int[] tieRank) {
    int r = 1;
    for (int m = 0; m < n; m++) {
      if (m != i && m != j && closer(dist[m], m, dist[j], j, tieRank)) {
        r++;
      }
    }
    return r;
  }

  /** The k points other than i with the smallest (distance, tie rank), by insertion. */
  private static int[] nearest(int n, int i, double[] dist, int k, int[] tieRank) {
    int[] best = new int[k];
    int size = 0;
    for (int m = 0; m < n; m++) {
      if (m == i) {
        continue;
      }
      if (size == k && !closer(dist[m], m, dist[best[k - 1]], best[k - 1], tieRank)) {
        continue;
      }
      int pos = size < k ? size++ : k - 1;
      while (pos > 0 && closer(dist[m], m, dist[best[pos - 1]], best[pos - 1], tieRank)) {
        best[pos] = best[pos - 1];
        pos--;
      }
      best[pos] = m;
    }
    return best;
  }

  private static int[] shuffled(int n, SplittableRandom random) {
    int[] p = IntStream.range(0, n).toArray();
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
