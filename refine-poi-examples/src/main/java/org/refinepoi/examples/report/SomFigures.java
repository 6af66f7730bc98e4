package org.refinepoi.examples.report;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.HierarchyMode;
import org.refinepoi.som.train.SomMap;
import org.refinepoi.som.train.SomQuality;

/**
 * Turns semantic IDs and a trained hierarchical SOM into the plain data of {@link ReportWriter}'s
 * pictures, and adds the usual set: per level the U-matrix and the dominant-category lattice, and
 * the POIs on a map coloured by their first-level cell.
 *
 * <p>Levels are 0-based in the API and 1-based in headings and file names ("level 1" is the
 * coarsest). Deeper levels are drawn nested: the cells of level {@code l} inside their parent cell
 * of level {@code l - 1}, which is how the IDs read (a prefix is a region).
 */
public final class SomFigures {

  private SomFigures() {}

  /**
   * U-matrix values on their lattice layout.
   *
   * @param lattice the (possibly nested) lattice
   * @param values the value of every cell that has one
   */
  public record UMatrix(NestedLattice lattice, Map<CellPath, Double> values) {
    /** Copies the map. */
    public UMatrix {
      checkNotNull(lattice, "lattice");
      values = Map.copyOf(values);
    }
  }

  /**
   * The cell path of every POI on a lattice layout.
   *
   * @param lattice the (possibly nested) lattice
   * @param paths the path of every POI, in POI order
   */
  public record Paths(NestedLattice lattice, List<CellPath> paths) {
    /** Copies the list. */
    public Paths {
      checkNotNull(lattice, "lattice");
      paths = List.copyOf(paths);
    }
  }

  /**
   * The U-matrix of a level. TREE mode: every child map at that level, nested in its parent cells;
   * RESIDUAL mode: the level's one shared map on its own lattice.
   */
  public static UMatrix uMatrix(HierarchicalSomModel model, int level) {
    checkNotNull(model, "model");
    checkElementIndex(level, model.levelCount(), "level");
    Map<CellPath, Double> values = new HashMap<>();
    if (model.mode() == HierarchyMode.RESIDUAL || level == 0) {
      SomMap map = model.map(level, new int[level]).orElseThrow();
      double[] u = SomQuality.uMatrix(map.lattice(), map.codebook());
      for (int c = 0; c < u.length; c++) {
        values.put(CellPath.of(c), u[c]);
      }
      return new UMatrix(NestedLattice.single(model.lattice(level)), values);
    }
    List<LatticeSpec> lattices = new ArrayList<>();
    for (int l = 0; l <= level; l++) {
      lattices.add(model.lattice(l));
    }
    Set<CellPath> parents = new LinkedHashSet<>();
    for (int[] path : allPaths(lattices.subList(0, level))) {
      Optional<SomMap> map = model.map(level, path);
      if (map.isEmpty()) {
        continue;
      }
      CellPath parent = CellPath.of(path);
      parents.add(parent);
      double[] u = SomQuality.uMatrix(map.get().lattice(), map.get().codebook());
      for (int c = 0; c < u.length; c++) {
        values.put(parent.child(c), u[c]);
      }
    }
    return new UMatrix(new NestedLattice(lattices, parents), values);
  }

  /**
   * The cell paths of IDs down to a level (their first {@code level + 1} cells), and the nested
   * lattice those paths live in (parents: the prefixes some ID has).
   *
   * @throws IllegalArgumentException when an ID is not in the space
   */
  public static Paths paths(IdSpace space, List<SemanticId> ids, int level) {
    checkNotNull(space, "space");
    checkNotNull(ids, "ids");
    checkElementIndex(level, space.levelCount(), "level");
    checkArgument(!ids.isEmpty(), "no IDs");
    List<CellPath> out = new ArrayList<>(ids.size());
    Set<CellPath> parents = new LinkedHashSet<>();
    for (SemanticId id : ids) {
      checkNotNull(id, "id");
      space.checkMember(id);
      CellPath p = CellPath.of(Arrays.copyOf(id.cells(), level + 1));
      out.add(p);
      if (level > 0) {
        parents.add(p.prefix(level));
      }
    }
    List<LatticeSpec> lattices = space.levels().subList(0, level + 1);
    return new Paths(new NestedLattice(lattices, parents), out);
  }

  /**
   * Adds the SOM pictures to a report: per level a U-matrix (when {@code model} is given) and a
   * dominant-category lattice, then the POI map coloured by first-level cell.
   *
   * @param writer the report
   * @param model the trained SOM, or null for ID schemes without one (no U-matrix then)
   * @param space the ID space of {@code idsByPoi}
   * @param idsByPoi the ID of every POI (dense POI index order)
   * @param pois the POIs, same order
   * @param labelsByPoi the category label to colour by, same order (for example the category name,
   *     or a coarser family)
   * @return the PNGs written
   */
  public static List<Path> addAll(
      ReportWriter writer,
      HierarchicalSomModel model,
      IdSpace space,
      List<SemanticId> idsByPoi,
      List<Poi> pois,
      List<String> labelsByPoi)
      throws IOException {
    checkNotNull(writer, "writer");
    checkNotNull(space, "space");
    checkNotNull(idsByPoi, "idsByPoi");
    checkNotNull(pois, "pois");
    checkNotNull(labelsByPoi, "labelsByPoi");
    checkArgument(
        idsByPoi.size() == pois.size() && pois.size() == labelsByPoi.size(),
        "%s IDs, %s POIs and %s labels: one of each per POI",
        idsByPoi.size(),
        pois.size(),
        labelsByPoi.size());
    checkArgument(
        model == null || model.idSpace().equals(space),
        "the model's ID space %s differs from the IDs' %s",
        model == null ? null : model.idSpace(),
        space);
    List<Path> out = new ArrayList<>();
    for (int l = 0; l < space.levelCount(); l++) {
      if (model != null) {
        var u = uMatrix(model, l);
        out.add(
            writer.addUMatrix(
                "umatrix-level-" + (l + 1), "U-matrix, level " + (l + 1), u.lattice(), u.values()));
      }
      var p = paths(space, idsByPoi, l);
      out.add(
          writer.addCategoryLattice(
              "categories-level-" + (l + 1),
              "Dominant category, level " + (l + 1),
              p.lattice(),
              p.paths(),
              labelsByPoi));
    }
    double[] lon = new double[pois.size()];
    double[] lat = new double[pois.size()];
    int[] cells = new int[pois.size()];
    for (int i = 0; i < lon.length; i++) {
      lon[i] = pois.get(i).longitude();
      lat[i] = pois.get(i).latitude();
      cells[i] = idsByPoi.get(i).cell(0);
    }
    out.add(
        writer.addPoiMap(
            "poi-map", "POIs coloured by level-1 cell", space.level(0), lon, lat, cells));
    return out;
  }

  private static List<int[]> allPaths(List<LatticeSpec> lattices) {
    List<int[]> out = new ArrayList<>();
    out.add(new int[0]);
    for (LatticeSpec lat : lattices) {
      List<int[]> next = new ArrayList<>(out.size() * lat.size());
      for (int[] prefix : out) {
        for (int c = 0; c < lat.size(); c++) {
          int[] p = Arrays.copyOf(prefix, prefix.length + 1);
          p[prefix.length] = c;
          next.add(p);
        }
      }
      out = next;
    }
    return out;
  }
}
