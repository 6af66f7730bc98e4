package org.refinepoi.examples.pipeline;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.Optional;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.quality.SidQualityReport;

/**
 * The semantic IDs one scheme gave a POI catalogue, with their quality.
 *
 * @param scheme the scheme
 * @param space the ID space (lattices per level) the IDs live in
 * @param idsByPoi the ID of each dense POI index, all distinct
 * @param quality the scheme's {@link org.refinepoi.som.quality.SidQuality} report
 * @param fitSeconds wall time to fit the scheme and assign the IDs
 * @param qualitySeconds wall time to measure the quality
 * @param model the fitted hierarchical SOM of the HSOM schemes (its codebooks draw the report's
 *     U-matrices); empty for the other schemes
 */
public record SchemeIds(
    IdScheme scheme,
    IdSpace space,
    List<SemanticId> idsByPoi,
    SidQualityReport quality,
    double fitSeconds,
    double qualitySeconds,
    Optional<HierarchicalSomModel> model) {

  /** Copies the list and checks it is non-empty. */
  public SchemeIds {
    checkNotNull(scheme, "scheme");
    checkNotNull(space, "space");
    checkNotNull(quality, "quality");
    checkNotNull(model, "model");
    idsByPoi = List.copyOf(idsByPoi);
    checkArgument(!idsByPoi.isEmpty(), "no IDs");
  }

  /** The number of collision-slot values in use: the largest slot plus one. */
  public int slotCount() {
    int max = 0;
    for (SemanticId id : idsByPoi) {
      max = Math.max(max, id.collisionSlot());
    }
    return max + 1;
  }
}
