package org.refinepoi.som.quality;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The quality measures of one ID scheme over a set of POI vectors (see {@link SidQuality}).
 *
 * @param distance the name of the {@link IdDistance} neighbours in ID space were ranked by
 * @param poiCount number of POIs
 * @param levels number of lattice levels of the IDs
 * @param quantizationError per level, the mean Euclidean distance of each vector to its code's
 *     prototype at that level
 * @param topographicError per level, where the level is a SOM and the caller supplied it; empty
 *     otherwise
 * @param k the neighbourhood size of trustworthiness and continuity
 * @param trustworthiness T(k) in [0, 1]
 * @param continuity C(k) in [0, 1]
 * @param spearmanPairs number of POI pairs the Spearman correlation used
 * @param spearman Spearman's rho between ID distance and embedding distance over those pairs; NaN
 *     when the ID distance is constant over them
 * @param collisionRate fraction of POIs whose lattice cells are shared with another POI
 * @param level1Perplexity exp of the entropy (natural log) of the level-1 cell usage: the number of
 *     level-1 cells a uniform usage with the same entropy would fill
 * @param level1CellsUsed distinct level-1 cells in use
 */
public record SidQualityReport(
    String distance,
    int poiCount,
    int levels,
    List<Double> quantizationError,
    List<OptionalDouble> topographicError,
    int k,
    double trustworthiness,
    double continuity,
    int spearmanPairs,
    double spearman,
    double collisionRate,
    double level1Perplexity,
    int level1CellsUsed) {

  /** Copies the lists. */
  public SidQualityReport {
    checkNotNull(distance, "distance");
    quantizationError = List.copyOf(quantizationError);
    topographicError = List.copyOf(topographicError);
  }
}
