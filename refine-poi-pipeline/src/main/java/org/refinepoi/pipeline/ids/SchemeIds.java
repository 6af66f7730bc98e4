package org.refinepoi.pipeline.ids;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.Optional;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.quality.SidQualityReport;

/**
 * The semantic IDs one scheme gave a POI catalogue, with their quality.
 *
 * @param scheme the scheme
 * @param index the IDs indexed over the catalogue (its dense POI numbering is the catalogue's)
 * @param quality the scheme's {@link org.refinepoi.som.quality.SidQuality} report
 * @param fitSeconds wall time to fit the scheme and assign the IDs
 * @param qualitySeconds wall time to measure the quality
 * @param model the fitted hierarchical SOM of the HSOM schemes (it quantizes new POIs, and its
 *     codebooks draw the report's U-matrices); empty for the other schemes
 */
public record SchemeIds(
    IdScheme scheme,
    SemanticIdIndex index,
    SidQualityReport quality,
    double fitSeconds,
    double qualitySeconds,
    Optional<HierarchicalSomModel> model) {

  /** Checks the parts are present. */
  public SchemeIds {
    checkNotNull(scheme, "scheme");
    checkNotNull(index, "index");
    checkNotNull(quality, "quality");
    checkNotNull(model, "model");
  }

  /** The ID space (lattices per level) the IDs live in. */
  public IdSpace space() {
    return index.space();
  }

  /** The ID of each dense POI index, all distinct (the index's catalogue order). */
  public List<SemanticId> idsByPoi() {
    return index.idsByPoi();
  }

  /** The number of collision-slot values in use: the largest slot plus one. */
  public int slotCount() {
    return index.slotCount();
  }
}
