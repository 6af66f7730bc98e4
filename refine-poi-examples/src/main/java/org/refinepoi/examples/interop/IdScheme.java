package org.refinepoi.examples.interop;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Locale;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.baseline.RandomIds;
import org.refinepoi.som.baseline.RqKMeans;

/**
 * The ways an export can give POIs their semantic IDs: the topology-aware hierarchical SOM, or one
 * of the two topology-blind baselines with the same code budget (same {@link IdSpace}).
 */
public enum IdScheme {
  /** Hierarchical SOM IDs (the method's IDs): neighbouring cells hold similar POIs. */
  HSOM,
  /** Residual k-means codes (the usual RQ-VAE stand-in): no geometry between codes. */
  RQKMEANS,
  /** Uniformly random cells: the floor every learned scheme must clear. */
  RANDOM;

  /** The default two-level space: a 16×16 map, then a 4×4 map in each cell (HSOM's default). */
  public static final ImmutableList<LatticeSpec> DEFAULT_LEVELS =
      ImmutableList.of(LatticeSpec.rectangular(16, 16), LatticeSpec.rectangular(4, 4));

  /**
   * Reads a scheme from its command-line name ({@code hsom}, {@code rqkmeans}, {@code random}; case
   * ignored).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static IdScheme parse(String name) {
    checkNotNull(name, "name");
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "hsom" -> HSOM;
      case "rqkmeans", "rq-kmeans" -> RQKMEANS;
      case "random" -> RANDOM;
      default ->
          throw new IllegalArgumentException(
              "unknown ID scheme '" + name + "': expected hsom, rqkmeans or random");
    };
  }

  /** The command-line name of this scheme. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Gives every POI of a dataset an ID and indexes them by POI id.
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
    List<SemanticId> ids = assign(features, levels, seed);
    SemanticIdIndex.Builder builder =
        SemanticIdIndex.builder(IdSpace.of(levels.toArray(new LatticeSpec[0])));
    for (int poi = 0; poi < ids.size(); poi++) {
      builder.add(dataset.poi(poi).id(), ids.get(poi));
    }
    return builder.build();
  }

  /**
   * The IDs of the rows of a matrix, in row order.
   *
   * @param vectors one row per item
   * @param levels the lattices of the ID space, coarsest first, at least one
   * @param seed the seed of the scheme's randomness
   */
  public List<SemanticId> assign(FloatMatrix vectors, List<LatticeSpec> levels, long seed) {
    checkNotNull(vectors, "vectors");
    checkNotNull(levels, "levels");
    checkArgument(!levels.isEmpty(), "an ID space needs at least one lattice level");
    checkArgument(vectors.rows() >= 1, "no vectors to give IDs to");
    LatticeSpec[] lattices = levels.toArray(new LatticeSpec[0]);
    IdSpace space = IdSpace.of(lattices);
    return switch (this) {
      case HSOM ->
          HierarchicalSom.builder()
              .levels(lattices)
              .seed(seed)
              .build()
              .fit(vectors)
              .assignIds(vectors);
      case RQKMEANS -> RqKMeans.builder(space).seed(seed).build().fit(vectors).ids();
      case RANDOM -> RandomIds.assign(vectors.rows(), space, seed);
    };
  }
}
