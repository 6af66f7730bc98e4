package org.refinepoi.pipeline.ids;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.som.HierarchyMode;

/**
 * The semantic-ID schemes of the SDK, all with the same code budget (the same lattices): the
 * topology-aware hierarchical SOM in its two modes, and the two topology-blind baselines. Each is
 * an {@link IdQuantizer}; {@link IdSchemes} fits and measures them side by side.
 */
public enum IdScheme {
  /** Hierarchical SOM, a child map per occupied level-1 cell (topology-aware; the method's IDs). */
  HSOM_TREE(
      "HSOM TREE",
      "hsom-tree",
      "hsom",
      true,
      (levels, seed) -> IdQuantizer.hierarchicalSom(levels, HierarchyMode.TREE, seed)),
  /** Hierarchical SOM over residuals, RQ style (topology-aware at level 1). */
  HSOM_RESIDUAL(
      "HSOM RESIDUAL",
      "hsom-residual",
      "hsom-residual",
      true,
      (levels, seed) -> IdQuantizer.hierarchicalSom(levels, HierarchyMode.RESIDUAL, seed)),
  /** Residual k-means, k-means++ per level: the usual stand-in for RQ-VAE IDs (topology-blind). */
  RQ_KMEANS("RQ-KMeans", "rq-kmeans", "rqkmeans", false, IdQuantizer::rqKMeans),
  /** Uniformly random cells at every level: the floor (topology-blind). */
  RANDOM("random", "random", "random", false, IdQuantizer::random);

  /** The default two-level space: a 16×16 map, then a 4×4 map in each cell (HSOM's default). */
  public static final ImmutableList<LatticeSpec> DEFAULT_LEVELS =
      ImmutableList.of(LatticeSpec.rectangular(16, 16), LatticeSpec.rectangular(4, 4));

  private final String label;
  private final String key;
  private final String cliName;
  private final boolean topologyAware;
  private final BiFunction<List<LatticeSpec>, Long, IdQuantizer> quantizer;

  IdScheme(
      String label,
      String key,
      String cliName,
      boolean topologyAware,
      BiFunction<List<LatticeSpec>, Long, IdQuantizer> quantizer) {
    this.label = label;
    this.key = key;
    this.cliName = cliName;
    this.topologyAware = topologyAware;
    this.quantizer = quantizer;
  }

  /** The name in tables, for example {@code "HSOM TREE"}. */
  public String label() {
    return label;
  }

  /**
   * The key in {@code metrics.json} and {@code sid-quality.json}, for example {@code "hsom-tree"}.
   */
  public String key() {
    return key;
  }

  /**
   * The name on the command line and in export manifests: {@code hsom}, {@code hsom-residual},
   * {@code rqkmeans}, {@code random}.
   */
  public String cliName() {
    return cliName;
  }

  /**
   * Whether the scheme's lattice coordinates carry geometry: its quality is measured with the
   * lattice ID distance, otherwise with the topology-blind one.
   */
  public boolean topologyAware() {
    return topologyAware;
  }

  /**
   * The scheme's quantizer over some lattices.
   *
   * @param levels the lattices of the ID space, coarsest first, at least one
   * @param seed the seed of the scheme's randomness
   */
  public IdQuantizer quantizer(List<LatticeSpec> levels, long seed) {
    return quantizer.apply(levels, seed);
  }

  /**
   * Reads a scheme from a name: its {@link #cliName()} or its {@link #key()}, case ignored ({@code
   * hsom} and {@code hsom-tree} are the same scheme).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static IdScheme parse(String name) {
    checkNotNull(name, "name");
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (IdScheme s : values()) {
      if (s.cliName.equals(wanted) || s.key.equals(wanted)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown ID scheme '" + name + "': expected hsom, hsom-residual, rqkmeans or random");
  }

  /**
   * Gives every POI of a dataset an ID and indexes them, the catalogue in the dataset's POI order.
   *
   * @param dataset the POIs (row {@code i} of {@code features} is POI {@code i})
   * @param features one row per POI
   * @param levels the lattices of the ID space, coarsest first
   * @param seed the seed of the scheme's randomness
   * @throws IllegalArgumentException when the feature rows do not match the POIs
   */
  public SemanticIdIndex fit(
      CheckInDataset dataset, FloatMatrix features, List<LatticeSpec> levels, long seed) {
    checkNotNull(dataset, "dataset");
    checkNotNull(features, "features");
    checkArgument(
        features.rows() == dataset.poiCount(),
        "the feature matrix has %s rows, the dataset %s POIs",
        features.rows(),
        dataset.poiCount());
    checkArgument(features.rows() >= 1, "no vectors to give IDs to");
    IdQuantizer.Quantized q = quantizer(levels, seed).fit(features);
    return SemanticIdIndex.builder(q.space())
        .addAll(dataset.pois().stream().map(p -> p.id()).toList(), q.ids())
        .build();
  }
}
