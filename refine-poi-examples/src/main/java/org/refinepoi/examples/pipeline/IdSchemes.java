package org.refinepoi.examples.pipeline;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.refinepoi.som.quality.SidQuality;
import org.refinepoi.som.quality.SidQualityReport;
import org.refinepoi.som.quality.TopographicError;
import org.refinepoi.som.train.SomMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the four ID schemes of the experiment over one POI feature matrix, with the same code
 * budget (the two lattices of the HSOM: level-1 cells, then level-2 cells; RQ-KMeans uses as many
 * codes per level, random IDs draw from the same lattices), and measures each with {@link
 * SidQuality} under the same settings: HSOM IDs with the lattice distance and the maps' own
 * prototypes and topographic errors, the baselines with the topology-blind distance and their own
 * prototypes (RQ-KMeans: summed centroids; random: prefix centroids).
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
   * @param features one row per dense POI index
   * @throws IllegalArgumentException when the catalogue is too small for the lattices or for the
   *     quality measure (more than 20 POIs for k = 10)
   */
  public List<SchemeIds> buildAll(FloatMatrix features) {
    List<SchemeIds> out = new ArrayList<>();
    for (IdScheme s : IdScheme.values()) {
      out.add(build(s, features));
    }
    return out;
  }

  /** Fits one scheme and measures it. */
  public SchemeIds build(IdScheme scheme, FloatMatrix features) {
    checkNotNull(scheme, "scheme");
    checkNotNull(features, "features");
    checkArgument(features.rows() > 0, "no POI features");
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
    IdSpace space = space();
    List<SemanticId> ids;
    SidQualityReport report;
    double fitSeconds;
    long qualityStart;
    Optional<HierarchicalSomModel> fitted = Optional.empty();
    switch (scheme) {
      case HSOM_TREE, HSOM_RESIDUAL -> {
        HierarchicalSomModel model =
            HierarchicalSom.builder()
                .levels(level1, level2)
                .mode(scheme == IdScheme.HSOM_TREE ? HierarchyMode.TREE : HierarchyMode.RESIDUAL)
                .seed(seed)
                .build()
                .fit(features);
        ids = model.assignIds(features);
        space = model.idSpace();
        fitted = Optional.of(model);
        fitSeconds = (System.nanoTime() - start) / 1e9;
        qualityStart = System.nanoTime();
        report =
            quality.evaluate(
                features,
                ids,
                IdDistance.lattice(space),
                hsomPrototypes(model, features, ids),
                hsomTopographicErrors(model, features));
      }
      case RQ_KMEANS -> {
        RqKMeans.Result fit = RqKMeans.builder(space).seed(seed).build().fit(features);
        ids = fit.ids();
        fitSeconds = (System.nanoTime() - start) / 1e9;
        qualityStart = System.nanoTime();
        report =
            quality.evaluate(
                features, ids, IdDistance.topologyBlind(), fit.prototypes(), List.of());
      }
      case RANDOM -> {
        ids = RandomIds.assign(features.rows(), space, seed);
        fitSeconds = (System.nanoTime() - start) / 1e9;
        qualityStart = System.nanoTime();
        report = quality.evaluate(features, ids, IdDistance.topologyBlind());
      }
      default -> throw new IllegalStateException("unknown scheme " + scheme);
    }
    double qualitySeconds = (System.nanoTime() - qualityStart) / 1e9;
    LOG.info(
        "IDs {}: fit {} s, quality {} s, trustworthiness {}, continuity {}, collision rate {}",
        scheme.label(),
        String.format("%.2f", fitSeconds),
        String.format("%.2f", qualitySeconds),
        String.format("%.4f", report.trustworthiness()),
        String.format("%.4f", report.continuity()),
        String.format("%.4f", report.collisionRate()));
    return new SchemeIds(scheme, space, ids, report, fitSeconds, qualitySeconds, fitted);
  }

  /** Each POI's reconstruction per level, looked up through its (unique) ID. */
  private static PrototypeLookup hsomPrototypes(
      HierarchicalSomModel model, FloatMatrix features, List<SemanticId> ids) {
    Map<SemanticId, float[][]> byId = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      byId.put(ids.get(i), model.reconstructions(features.row(i)));
    }
    return (level, id) -> {
      float[][] recon = byId.get(id);
      checkArgument(recon != null, "ID %s belongs to no POI of this catalogue", id);
      return recon[level];
    };
  }

  /**
   * The topographic error of each level: level 1 over all POIs; level 2 per child map (TREE, over
   * the POIs of its parent cell, weighted by their number) or over the level-1 residuals
   * (RESIDUAL). A child map with one unit has no second-best unit and is skipped.
   */
  private static List<OptionalDouble> hsomTopographicErrors(
      HierarchicalSomModel model, FloatMatrix features) {
    List<OptionalDouble> out = new ArrayList<>();
    SomMap top = model.map(0).orElseThrow();
    out.add(OptionalDouble.of(TopographicError.of(features, top.codebook(), top.lattice())));
    int n = features.rows();
    int d = features.cols();
    int[] cell = new int[n];
    for (int i = 0; i < n; i++) {
      cell[i] = top.bmu(features.row(i));
    }
    for (int level = 1; level < model.levelCount(); level++) {
      if (level > 1 || model.lattice(level).size() < 2) {
        out.add(OptionalDouble.empty());
        continue;
      }
      if (model.mode() == HierarchyMode.RESIDUAL) {
        float[] residual = new float[n * d];
        float[] w = top.codebook().unsafeData();
        float[] x = features.unsafeData();
        for (int i = 0; i < n; i++) {
          for (int e = 0; e < d; e++) {
            residual[i * d + e] = x[i * d + e] - w[cell[i] * d + e];
          }
        }
        SomMap child = model.map(1, 0).orElseThrow();
        out.add(
            OptionalDouble.of(
                TopographicError.of(
                    FloatMatrix.wrap(n, d, residual), child.codebook(), child.lattice())));
        continue;
      }
      Map<Integer, List<Integer>> members = new HashMap<>();
      for (int i = 0; i < n; i++) {
        members.computeIfAbsent(cell[i], c -> new ArrayList<>()).add(i);
      }
      double errors = 0;
      long counted = 0;
      for (Map.Entry<Integer, List<Integer>> e : members.entrySet()) {
        var child = model.map(1, e.getKey());
        if (child.isEmpty()) {
          continue;
        }
        int[] rows = e.getValue().stream().mapToInt(Integer::intValue).toArray();
        double te =
            TopographicError.of(
                features.selectRows(rows), child.get().codebook(), child.get().lattice());
        errors += te * rows.length;
        counted += rows.length;
      }
      out.add(counted == 0 ? OptionalDouble.empty() : OptionalDouble.of(errors / counted));
    }
    return out;
  }
}
