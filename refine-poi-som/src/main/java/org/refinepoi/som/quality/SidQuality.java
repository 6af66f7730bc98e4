package org.refinepoi.som.quality;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.SemanticId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures whether an ID scheme is topology-aware: for any scheme over the same POI vectors
 * (aligned rows and IDs), quantization error per level, topographic error where a level is a SOM,
 * trustworthiness and continuity at k (neighbours by Euclidean embedding distance vs by an {@link
 * IdDistance}; see {@link NeighbourhoodPreservation} for the definitions and the tie handling),
 * Spearman's rho between ID distance and embedding distance over sampled POI pairs, collision rate
 * and level-1 perplexity.
 *
 * <p>Compare schemes with the same settings (k, pairs, seed). For HSOM IDs pass {@link
 * IdDistance#lattice}; for RQ-KMeans and random IDs, {@link IdDistance#topologyBlind()}. Immutable;
 * {@link #evaluate} may run concurrently.
 */
public final class SidQuality {

  private static final Logger LOG = LoggerFactory.getLogger(SidQuality.class);

  private final int k;
  private final int spearmanPairs;
  private final int maxQueries;
  private final long seed;

  private SidQuality(Builder b) {
    this.k = b.k;
    this.spearmanPairs = b.spearmanPairs;
    this.maxQueries = b.maxQueries;
    this.seed = b.seed;
  }

  /** A builder with the defaults: k = 10, 100,000 Spearman pairs, all query points, seed 42. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Evaluates a scheme with centroid prototypes ({@link PrototypeLookup#prefixCentroids}) and no
   * topographic error: the topology-blind baselines' case.
   */
  public SidQualityReport evaluate(FloatMatrix vectors, List<SemanticId> ids, IdDistance distance) {
    return evaluate(
        vectors, ids, distance, PrototypeLookup.prefixCentroids(vectors, ids), List.of());
  }

  /**
   * Evaluates a scheme on a shared {@link EmbeddingSpace} with centroid prototypes and no
   * topographic error.
   */
  public SidQualityReport evaluate(
      EmbeddingSpace embedding, List<SemanticId> ids, IdDistance distance) {
    checkNotNull(embedding, "embedding");
    return evaluate(
        embedding,
        ids,
        distance,
        PrototypeLookup.prefixCentroids(embedding.vectors(), ids),
        List.of());
  }

  /**
   * Evaluates a scheme.
   *
   * @param vectors the POI vectors, one row per POI
   * @param ids the POIs' IDs, aligned with the rows, all with the same number of levels
   * @param distance how far apart two IDs are
   * @param prototypes each ID's prototype per level, for the quantization error
   * @param topographicError per level, the topographic error where that level is a SOM ({@link
   *     TopographicError}); an empty list when none, otherwise one entry per level
   * @throws IllegalArgumentException on misaligned or mis-sized inputs, or fewer than {@code 2k+1}
   *     POIs
   */
  public SidQualityReport evaluate(
      FloatMatrix vectors,
      List<SemanticId> ids,
      IdDistance distance,
      PrototypeLookup prototypes,
      List<OptionalDouble> topographicError) {
    checkNotNull(vectors, "vectors");
    return evaluate(EmbeddingSpace.of(vectors), ids, distance, prototypes, topographicError);
  }

  /**
   * Evaluates a scheme on an {@link EmbeddingSpace}: the same as {@link #evaluate(FloatMatrix,
   * List, IdDistance, PrototypeLookup, List)}, but the embedding distances are computed once and
   * shared by every scheme evaluated on that space.
   */
  public SidQualityReport evaluate(
      EmbeddingSpace embedding,
      List<SemanticId> ids,
      IdDistance distance,
      PrototypeLookup prototypes,
      List<OptionalDouble> topographicError) {
    checkNotNull(embedding, "embedding");
    FloatMatrix vectors = embedding.vectors();
    checkNotNull(ids, "ids");
    checkNotNull(distance, "distance");
    checkNotNull(prototypes, "prototypes");
    checkNotNull(topographicError, "topographicError");
    int n = vectors.rows();
    checkArgument(
        ids.size() == n, "%s vectors but %s IDs: they must be aligned row by row", n, ids.size());
    SemanticId[] id = ids.toArray(new SemanticId[0]);
    int levels = id[0].levels();
    for (int i = 0; i < n; i++) {
      checkNotNull(id[i], "ID of row %s", i);
      checkArgument(
          id[i].levels() == levels,
          "ID %s of row %s has %s levels, row 0's has %s",
          id[i],
          i,
          id[i].levels(),
          levels);
    }
    checkArgument(
        topographicError.isEmpty() || topographicError.size() == levels,
        "topographic error: give one entry per level (%s) or none, got %s",
        levels,
        topographicError.size());
    checkArgument(2 * k < n, "k = %s needs more than %s POIs, got %s", k, 2 * k, n);

    List<Double> qe = quantizationErrors(vectors, id, prototypes, levels);
    NeighbourhoodPreservation.Result tc =
        NeighbourhoodPreservation.compute(
            n,
            embedding::squaredDistance,
            (i, j) -> distance.distance(id[i], id[j]),
            k,
            maxQueries,
            seed);
    double[][] pairs = samplePairs(n, embedding, id, distance);
    double rho = RankCorrelation.spearman(pairs[0], pairs[1]);
    int[] usage = levelOneUsage(id);
    SidQualityReport report =
        new SidQualityReport(
            distance.name(),
            n,
            levels,
            qe,
            topographicError.isEmpty()
                ? java.util.Collections.nCopies(levels, OptionalDouble.empty())
                : topographicError,
            k,
            tc.trustworthiness(),
            tc.continuity(),
            pairs[0].length,
            rho,
            collisionRate(ids),
            perplexity(usage),
            (int) Arrays.stream(usage).filter(c -> c > 0).count());
    LOG.debug("ID quality: {}", report);
    return report;
  }

  private static List<Double> quantizationErrors(
      FloatMatrix vectors, SemanticId[] id, PrototypeLookup prototypes, int levels) {
    int n = vectors.rows();
    int d = vectors.cols();
    float[] x = vectors.unsafeData();
    List<Double> out = new ArrayList<>();
    for (int l = 0; l < levels; l++) {
      int level = l;
      double sum =
          IntStream.range(0, n)
              .parallel()
              .mapToDouble(
                  i -> {
                    float[] p = prototypes.prototype(level, id[i]);
                    checkArgument(
                        p != null && p.length == d,
                        "prototype of ID %s at level %s must have %s values",
                        id[i],
                        level,
                        d);
                    double s = 0;
                    for (int e = 0; e < d; e++) {
                      double diff = (double) x[i * d + e] - p[e];
                      s += diff * diff;
                    }
                    return Math.sqrt(s);
                  })
              .sorted() // a fixed summation order: the same result whatever the thread count
              .sum();
      out.add(sum / n);
    }
    return out;
  }

  /**
   * {ID distances, embedding distances} over POI pairs: every pair when there are at most {@code
   * spearmanPairs} of them, otherwise that many pairs (i, j), i != j, drawn uniformly with
   * replacement from the seed.
   */
  private double[][] samplePairs(
      int n, EmbeddingSpace embedding, SemanticId[] id, IdDistance distance) {
    long all = (long) n * (n - 1) / 2;
    int count = (int) Math.min(all, spearmanPairs);
    double[] idDist = new double[count];
    double[] embDist = new double[count];
    if (count == all) {
      int p = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          idDist[p] = distance.distance(id[i], id[j]);
          embDist[p] = embedding.distance(i, j);
          p++;
        }
      }
    } else {
      SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
      for (int p = 0; p < count; p++) {
        int i = random.nextInt(n);
        int j = random.nextInt(n - 1);
        if (j >= i) {
          j++;
        }
        idDist[p] = distance.distance(id[i], id[j]);
        embDist[p] = embedding.distance(i, j);
      }
    }
    return new double[][] {idDist, embDist};
  }

  private static int[] levelOneUsage(SemanticId[] id) {
    int max = 0;
    for (SemanticId s : id) {
      max = Math.max(max, s.cell(0));
    }
    int[] usage = new int[max + 1];
    for (SemanticId s : id) {
      usage[s.cell(0)]++;
    }
    return usage;
  }

  /**
   * The fraction of IDs whose lattice cells (all levels, the slot ignored) are shared with another
   * ID of the list.
   */
  public static double collisionRate(List<SemanticId> ids) {
    checkNotNull(ids, "ids");
    checkArgument(!ids.isEmpty(), "no IDs");
    Map<List<Integer>, Integer> leafCounts = new HashMap<>();
    for (SemanticId id : ids) {
      leafCounts.merge(cellsOf(id), 1, Integer::sum);
    }
    long colliding = leafCounts.values().stream().filter(c -> c > 1).mapToLong(c -> c).sum();
    return (double) colliding / ids.size();
  }

  private static List<Integer> cellsOf(SemanticId id) {
    return Arrays.stream(id.cells()).boxed().toList();
  }

  /**
   * The perplexity of a usage histogram: {@code exp(-sum p log p)} with {@code p = count / total}
   * (natural log; empty bins contribute nothing). Uniform usage of m bins gives m.
   *
   * @throws IllegalArgumentException on a negative count or an all-zero histogram
   */
  public static double perplexity(int[] counts) {
    checkNotNull(counts, "counts");
    long total = 0;
    for (int c : counts) {
      checkArgument(c >= 0, "negative count %s", c);
      total += c;
    }
    checkArgument(total > 0, "perplexity of an empty histogram");
    double entropy = 0;
    for (int c : counts) {
      if (c > 0) {
        double p = (double) c / total;
        entropy -= p * Math.log(p);
      }
    }
    return Math.exp(entropy);
  }

  /**
   * Settings of {@link SidQuality}, validated. Defaults: {@code k = 10}, {@code spearmanPairs =
   * 100_000}, {@code maxQueries = 0} (every POI is a query point), {@code seed = 42}.
   */
  public static final class Builder {
    private int k = 10;
    private int spearmanPairs = 100_000;
    private int maxQueries = 0;
    private long seed = 42;

    private Builder() {}

    /** Neighbourhood size of trustworthiness and continuity, at least 1. */
    public Builder k(int value) {
      checkArgument(value >= 1, "k must be >= 1, got %s", value);
      this.k = value;
      return this;
    }

    /** POI pairs for Spearman's rho (all pairs when there are fewer), at least 2. */
    public Builder spearmanPairs(int value) {
      checkArgument(value >= 2, "spearmanPairs must be >= 2, got %s", value);
      this.spearmanPairs = value;
      return this;
    }

    /**
     * Query points for trustworthiness and continuity: 0 (the default) for every POI, otherwise a
     * seeded sample of that many (the cost is O(queries × POIs)).
     */
    public Builder maxQueries(int value) {
      checkArgument(value >= 0, "maxQueries must be >= 0, got %s", value);
      this.maxQueries = value;
      return this;
    }

    /** Seed of the tie-break order, the query sample and the Spearman pairs. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** The configured measure. */
    public SidQuality build() {
      return new SidQuality(this);
    }
  }
}
