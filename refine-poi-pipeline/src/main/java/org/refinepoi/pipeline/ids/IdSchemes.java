package org.refinepoi.pipeline.ids;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.som.quality.SidQuality;
import org.refinepoi.som.quality.SidQualityReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the ID schemes of the experiment over one POI feature matrix, with the same code budget
 * (the two lattices of the HSOM: level-1 cells, then level-2 cells; RQ-KMeans uses as many codes
 * per level, random IDs draw from the same lattices), and measures each with {@link SidQuality}
 * under the same settings, through each scheme's {@link IdQuantizer}: HSOM IDs with the lattice
 * distance and the maps' own prototypes and topographic errors, the baselines with the
 * topology-blind distance and their own prototypes (RQ-KMeans: summed centroids; random: prefix
 * centroids).
 *
 * <p>Deterministic for a seed (the SOM, k-means++ and the random IDs derive their seeds from it).
 */
public final class IdSchemes {

  private static final Logger LOG = LoggerFactory.getLogger(IdSchemes.class);

  private final LatticeSpec level1;
  private final LatticeSpec level2;
  private final long seed;
  private final SidQuality quality;

  /**
   * Schemes over two lattice levels.
   *
   * @param level1 the first level (for example 16×16 for ~3k POIs)
   * @param level2 the second level (for example 4×4)
   * @param seed the seed of every scheme
   * @param quality the measure, the same for every scheme
   */
  public IdSchemes(LatticeSpec level1, LatticeSpec level2, long seed, SidQuality quality) {
    this.level1 = checkNotNull(level1, "level1");
    this.level2 = checkNotNull(level2, "level2");
    this.seed = seed;
    this.quality = checkNotNull(quality, "quality");
  }

  /** The shared ID space (level-1 lattice, level-2 lattice). */
  public IdSpace space() {
    return IdSpace.of(level1, level2);
  }

  /**
   * Fits every scheme, in {@link IdScheme} order.
   *
   * @param features one row per catalogue POI
   * @param poiIds the source id of each row's POI: the catalogue of the schemes' indexes
   * @throws IllegalArgumentException when the catalogue is too small for the lattices or for the
   *     quality measure (more than 20 POIs for k = 10)
   */
  public List<SchemeIds> buildAll(FloatMatrix features, List<String> poiIds) {
    List<SchemeIds> out = new ArrayList<>();
    for (IdScheme s : IdScheme.values()) {
      out.add(build(s, features, poiIds));
    }
    return out;
  }

  /**
   * Fits one scheme, indexes its IDs over the catalogue and measures them.
   *
   * @param features one row per catalogue POI
   * @param poiIds the source id of each row's POI
   */
  public SchemeIds build(IdScheme scheme, FloatMatrix features, List<String> poiIds) {
    checkNotNull(scheme, "scheme");
    checkNotNull(features, "features");
    checkNotNull(poiIds, "poiIds");
    checkArgument(features.rows() > 0, "no POI features");
    checkArgument(
        poiIds.size() == features.rows(),
        "%s POI ids for %s feature rows",
        poiIds.size(),
        features.rows());
    checkArgument(
        features.rows() >= level1.size(),
        "%s POIs are fewer than the %s level-1 cells of a %sx%s lattice: choose a smaller lattice",
        features.rows(),
        level1.size(),
        level1.rows(),
        level1.cols());
    for (float v : features.unsafeData()) {
      checkArgument(Float.isFinite(v), "the POI features hold a non-finite value (%s)", v);
    }
    long start = System.nanoTime();
    IdQuantizer.Quantized q = scheme.quantizer(List.of(level1, level2), seed).fit(features);
    SemanticIdIndex index = SemanticIdIndex.builder(q.space()).addAll(poiIds, q.ids()).build();
    double fitSeconds = (System.nanoTime() - start) / 1e9;
    long qualityStart = System.nanoTime();
    SidQualityReport report =
        quality.evaluate(features, q.ids(), q.distance(), q.prototypes(), q.topographicErrors());
    double qualitySeconds = (System.nanoTime() - qualityStart) / 1e9;
    LOG.debug(
        "IDs {}: fit {} s, quality {} s, trustworthiness {}, continuity {}, collision rate {}",
        scheme.label(),
        String.format("%.2f", fitSeconds),
        String.format("%.2f", qualitySeconds),
        String.format("%.4f", report.trustworthiness()),
        String.format("%.4f", report.continuity()),
        String.format("%.4f", report.collisionRate()));
    return new SchemeIds(scheme, index, report, fitSeconds, qualitySeconds, q.model());
  }
}
