package org.refinepoi.som.baseline;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.SplittableRandom;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.som.quality.PrototypeLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Residual k-means (RQ-KMeans), the usual stand-in for RQ-VAE semantic IDs, with the same code
 * budget as an HSOM: level {@code l} has as many codes as the {@link IdSpace}'s level-{@code l}
 * lattice has cells. Level 0 clusters the vectors; each further level clusters the residuals left
 * by the levels before (vector minus the sum of its chosen centroids). Each level is seeded by
 * k-means++ and refined by Lloyd iterations. The code of level {@code l} becomes the ID's cell at
 * level {@code l}: a code index, with no geometry behind the lattice position. POIs sharing every
 * code get collision slots ordered by their distance to the leaf reconstruction (the sum of their
 * centroids), 0 = closest, as HSOM does.
 *
 * <p>Deterministic for a seed, whatever the number of threads.
 */
public final class RqKMeans {

  private static final Logger LOG = LoggerFactory.getLogger(RqKMeans.class);

  private final IdSpace space;
  private final int maxIterations;
  private final long seed;

  /**
   * The IDs and the per-level codebooks of a fit.
   *
   * @param ids one ID per input row, members of the space
   * @param codebooks per level, the centroids (codes × D)
   * @param iterations per level, the Lloyd iterations run
   */
  public record Result(
      List<SemanticId> ids, List<FloatMatrix> codebooks, List<Integer> iterations) {

    /** Copies the lists. */
    public Result {
      ids = List.copyOf(ids);
      codebooks = List.copyOf(codebooks);
      iterations = List.copyOf(iterations);
    }

    /** The residual prototypes: at level l, the sum of the ID's centroids of levels 0..l. */
    public PrototypeLookup prototypes() {
      return PrototypeLookup.residual(codebooks);
    }
  }

  private RqKMeans(Builder b) {
    this.space = b.space;
    this.maxIterations = b.maxIterations;
    this.seed = b.seed;
  }

  /** A builder whose code counts per level are the space's lattice sizes. */
  public static Builder builder(IdSpace space) {
    return new Builder(space);
  }

  /**
   * Quantizes the rows of a matrix.
   *
   * @throws IllegalArgumentException when the matrix has fewer rows than a level has codes
   */
  public Result fit(FloatMatrix vectors) {
    checkNotNull(vectors, "vectors");
    int n = vectors.rows();
    int d = vectors.cols();
    for (int l = 0; l < space.levelCount(); l++) {
      checkArgument(
          space.level(l).size() <= n,
          "level %s has %s codes but there are only %s vectors",
          l,
          space.level(l).size(),
          n);
    }
    float[] src = vectors.unsafeData();
    double[] residual = new double[src.length];
    for (int i = 0; i < src.length; i++) {
      residual[i] = src[i];
    }
    int levels = space.levelCount();
    int[][] cells = new int[n][levels];
    ImmutableList.Builder<FloatMatrix> codebooks = ImmutableList.builder();
    ImmutableList.Builder<Integer> iterations = ImmutableList.builder();
    SplittableRandom root = new SplittableRandom(seed);
    for (int l = 0; l < levels; l++) {
      int k = space.level(l).size();
      KMeans.Fit fit = KMeans.fit(residual, n, d, k, maxIterations, root.split());
      LOG.debug(
          "RQ-KMeans level {}: {} codes, {} iterations, converged {}",
          l,
          k,
          fit.iterations(),
          fit.converged());
      float[] book = new float[k * d];
      for (int j = 0; j < k * d; j++) {
        book[j] = (float) fit.centroids()[j];
      }
      codebooks.add(FloatMatrix.wrap(k, d, book));
      iterations.add(fit.iterations());
      for (int i = 0; i < n; i++) {
        int code = fit.assignment()[i];
        cells[i][l] = code;
        for (int e = 0; e < d; e++) {
          residual[i * d + e] -= fit.centroids()[code * d + e];
        }
      }
    }
    // What is left after every level is the vector minus its leaf reconstruction.
    double[] leafDistance = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int e = 0; e < d; e++) {
        s += residual[i * d + e] * residual[i * d + e];
      }
      leafDistance[i] = Math.sqrt(s);
    }
    return new Result(
        CollisionSlots.assign(cells, leafDistance), codebooks.build(), iterations.build());
  }

  /**
   * Settings of {@link RqKMeans}, validated. Defaults: at most 100 Lloyd iterations per level
   * (stopping earlier when no assignment changes), seed 42.
   */
  public static final class Builder {
    private final IdSpace space;
    private int maxIterations = 100;
    private long seed = 42;

    private Builder(IdSpace space) {
      this.space = checkNotNull(space, "space");
    }

    /** Most Lloyd iterations per level, at least 1. */
    public Builder maxIterations(int value) {
      checkArgument(value >= 1, "maxIterations must be >= 1, got %s", value);
      this.maxIterations = value;
      return this;
    }

    /** Seed of the k-means++ draws. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** The configured quantizer. */
    public RqKMeans build() {
      return new RqKMeans(this);
    }
  }
}
