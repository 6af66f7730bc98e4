package org.refinepoi.pipeline.ids;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.HierarchyMode;
import org.refinepoi.som.baseline.RandomIds;
import org.refinepoi.som.baseline.RqKMeans;
import org.refinepoi.som.quality.IdDistance;
import org.refinepoi.som.quality.PrototypeLookup;

/**
 * One way of giving the rows of a matrix semantic IDs: the seam every ID scheme of the SDK sits
 * behind ({@link IdScheme#quantizer}). {@link #fit} fits the scheme and returns the IDs with what
 * {@link org.refinepoi.som.quality.SidQuality} needs to measure them the way the scheme deserves
 * (its distance, its prototypes, its topographic errors). Implement it to compare your own
 * quantizer with the built-in ones under the same measure.
 */
@FunctionalInterface
public interface IdQuantizer {

  /**
   * Fits the scheme on the vectors and gives every row an ID.
   *
   * @param vectors one row per item, finite
   * @return the IDs in row order, all distinct, with their quality inputs
   * @throws IllegalArgumentException when the vectors are too few for the scheme's lattices
   */
  Quantized fit(FloatMatrix vectors);

  /**
   * What a quantizer produced.
   *
   * @param space the ID space the IDs live in
   * @param ids the ID of each row, all distinct
   * @param distance how the scheme's IDs are compared: the lattice distance of a topology-aware
   *     scheme, the topology-blind one otherwise
   * @param prototypes each ID's prototype per level, for the quantization error
   * @param topographicErrors the topographic error per level where a level is a SOM; an empty list
   *     when no level is
   * @param model the fitted hierarchical SOM, for HSOM schemes (it quantizes new POIs and draws
   *     U-matrices); empty otherwise
   */
  record Quantized(
      IdSpace space,
      List<SemanticId> ids,
      IdDistance distance,
      PrototypeLookup prototypes,
      List<OptionalDouble> topographicErrors,
      Optional<HierarchicalSomModel> model) {

    /** Copies the lists. */
    public Quantized {
      checkNotNull(space, "space");
      checkNotNull(distance, "distance");
      checkNotNull(prototypes, "prototypes");
      checkNotNull(model, "model");
      ids = List.copyOf(ids);
      topographicErrors = List.copyOf(topographicErrors);
    }
  }

  /**
   * The hierarchical SOM over two or more lattices (the method's IDs): the model's own IDs,
   * compared by the lattice distance, with its maps' prototypes and topographic errors.
   *
   * @param levels the lattices, coarsest first
   * @param mode {@link HierarchyMode#TREE} (a child map per occupied cell) or {@link
   *     HierarchyMode#RESIDUAL}
   * @param seed the SOM's seed
   */
  static IdQuantizer hierarchicalSom(List<LatticeSpec> levels, HierarchyMode mode, long seed) {
    LatticeSpec[] lattices = lattices(levels);
    checkNotNull(mode, "mode");
    return vectors -> {
      HierarchicalSomModel model =
          HierarchicalSom.builder().levels(lattices).mode(mode).seed(seed).build().fit(vectors);
      List<SemanticId> ids = model.assignIds(vectors);
      return new Quantized(
          model.idSpace(),
          ids,
          IdDistance.lattice(model.idSpace()),
          HsomQuality.prototypes(model, vectors, ids),
          HsomQuality.topographicErrors(model, vectors),
          Optional.of(model));
    };
  }

  /**
   * Residual k-means, k-means++ per level (the usual stand-in for RQ-VAE IDs): topology-blind, with
   * its summed centroids as prototypes.
   */
  static IdQuantizer rqKMeans(List<LatticeSpec> levels, long seed) {
    IdSpace space = IdSpace.of(lattices(levels));
    return vectors -> {
      RqKMeans.Result fit = RqKMeans.builder(space).seed(seed).build().fit(vectors);
      return new Quantized(
          space,
          fit.ids(),
          IdDistance.topologyBlind(),
          fit.prototypes(),
          List.of(),
          Optional.empty());
    };
  }

  /** Uniformly random cells at every level (the floor): topology-blind, prefix centroids. */
  static IdQuantizer random(List<LatticeSpec> levels, long seed) {
    IdSpace space = IdSpace.of(lattices(levels));
    return vectors -> {
      List<SemanticId> ids = RandomIds.assign(vectors.rows(), space, seed);
      return new Quantized(
          space,
          ids,
          IdDistance.topologyBlind(),
          PrototypeLookup.prefixCentroids(vectors, ids),
          List.of(),
          Optional.empty());
    };
  }

  private static LatticeSpec[] lattices(List<LatticeSpec> levels) {
    checkNotNull(levels, "levels");
    checkArgument(!levels.isEmpty(), "an ID space needs at least one lattice level");
    return levels.toArray(new LatticeSpec[0]);
  }
}
