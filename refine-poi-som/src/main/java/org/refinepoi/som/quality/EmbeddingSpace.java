package org.refinepoi.som.quality;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.stream.IntStream;
import org.refinepoi.core.math.FloatMatrix;

/**
 * POI vectors with their pairwise squared Euclidean distances, shared by every ID scheme {@link
 * SidQuality} compares on them. When the full distance matrix fits the given memory budget (8 bytes
 * per pair) it is computed once, in parallel, using symmetry; otherwise each distance is computed
 * on demand. Either way the values are identical (same arithmetic). Immutable and safe to share
 * across threads.
 */
public final class EmbeddingSpace {

  /** The default budget for the cached distance matrix: 256 MiB (about 5,800 POIs). */
  public static final long DEFAULT_CACHE_BYTES = 256L << 20;

  private final FloatMatrix vectors;
  private final double[] cache;

  private EmbeddingSpace(FloatMatrix vectors, double[] cache) {
    this.vectors = vectors;
    this.cache = cache;
  }

  /**
   * The embedding space of some vectors.
   *
   * @param vectors one row per POI
   * @param cacheBytes the most memory the cached distance matrix may take; 0 disables the cache
   */
  public static EmbeddingSpace of(FloatMatrix vectors, long cacheBytes) {
    checkNotNull(vectors, "vectors");
    checkArgument(cacheBytes >= 0, "cacheBytes must be >= 0, got %s", cacheBytes);
    int n = vectors.rows();
    long bytes = (long) n * n * Double.BYTES;
    if (bytes > cacheBytes || (long) n * n > Integer.MAX_VALUE - 16) {
      return new EmbeddingSpace(vectors, null);
    }
    float[] x = vectors.unsafeData();
    int d = vectors.cols();
    double[] cache = new double[n * n];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              for (int j = i + 1; j < n; j++) {
                double s = squaredEuclidean(x, d, i, j);
                cache[i * n + j] = s;
                cache[j * n + i] = s;
              }
            });
    return new EmbeddingSpace(vectors, cache);
  }

  /** The embedding space of some vectors with the default cache budget. */
  public static EmbeddingSpace of(FloatMatrix vectors) {
    return of(vectors, DEFAULT_CACHE_BYTES);
  }

  /** The vectors. */
  public FloatMatrix vectors() {
    return vectors;
  }

  /** Number of POIs. */
  public int size() {
    return vectors.rows();
  }

  /** Whether the distance matrix is cached. */
  public boolean cached() {
    return cache != null;
  }

  /** The squared Euclidean distance between rows i and j (0 when equal). */
  public double squaredDistance(int i, int j) {
    int n = vectors.rows();
    if (cache != null) {
      return cache[i * n + j];
    }
    return i == j ? 0 : squaredEuclidean(vectors.unsafeData(), vectors.cols(), i, j);
  }

  /** The Euclidean distance between rows i and j. */
  public double distance(int i, int j) {
    return Math.sqrt(squaredDistance(i, j));
  }

  /** Squared Euclidean distance of rows i and j, four independent sums to keep the FPU busy. */
  static double squaredEuclidean(float[] x, int d, int i, int j) {
    int a = i * d;
    int b = j * d;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int e = 0;
    for (; e + 3 < d; e += 4) {
      double d0 = (double) x[a + e] - x[b + e];
      double d1 = (double) x[a + e + 1] - x[b + e + 1];
      double d2 = (double) x[a + e + 2] - x[b + e + 2];
      double d3 = (double) x[a + e + 3] - x[b + e + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; e < d; e++) {
      double diff = (double) x[a + e] - x[b + e];
      s0 += diff * diff;
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public String toString() {
    return "EmbeddingSpace[" + vectors + (cache != null ? ", cached" : "") + "]";
  }
}
