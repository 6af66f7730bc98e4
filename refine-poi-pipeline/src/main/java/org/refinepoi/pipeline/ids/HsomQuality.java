package org.refinepoi.pipeline.ids;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.HierarchyMode;
import org.refinepoi.som.quality.PrototypeLookup;
import org.refinepoi.som.quality.TopographicError;
import org.refinepoi.som.train.SomMap;

/** The quality inputs of a hierarchical SOM. */
final class HsomQuality {

  private HsomQuality() {}

  /** Each POI's reconstruction per level, looked up through its (unique) ID. */
  static PrototypeLookup prototypes(
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
  static List<OptionalDouble> topographicErrors(HierarchicalSomModel model, FloatMatrix features) {
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
