package org.refinepoi.som;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.som.train.SomMap;

/**
 * A trained hierarchical SOM: assigns semantic IDs to POI vectors, known or new, without
 * retraining. Immutable and thread-safe. Save with {@link #save}, load with {@link #load}.
 *
 * <p>In {@link HierarchyMode#TREE} mode a vector descends from the first-level map into the child
 * map of its cell, and so on; a vector that lands in a cell that had no training POIs (so no child
 * map) gets cell 0 at every deeper level and the deepest prototype it reached as its leaf
 * prototype. In {@link HierarchyMode#RESIDUAL} mode level l quantizes the residual left by levels
 * 0..l-1, and the leaf prototype is the sum of the chosen prototypes.
 */
public final class HierarchicalSomModel {

  /** A map of the TREE and its children (null entries: cells without training POIs). */
  record Node(SomMap map, Node[] children) {}

  private final HierarchyMode mode;
  private final ImmutableList<LatticeSpec> levels;
  private final IdSpace idSpace;
  private final int dims;
  private final Node root;
  private final ImmutableList<SomMap> residualMaps;

  private HierarchicalSomModel(
      HierarchyMode mode, List<LatticeSpec> levels, Node root, List<SomMap> residualMaps) {
    this.mode = mode;
    this.levels = ImmutableList.copyOf(levels);
    this.idSpace = new IdSpace(levels);
    this.root = root;
    this.residualMaps = residualMaps == null ? null : ImmutableList.copyOf(residualMaps);
    this.dims = root != null ? root.map().dims() : residualMaps.get(0).dims();
  }

  static HierarchicalSomModel tree(List<LatticeSpec> levels, Node root) {
    return new HierarchicalSomModel(HierarchyMode.TREE, levels, root, null);
  }

  static HierarchicalSomModel residual(List<LatticeSpec> levels, List<SomMap> maps) {
    return new HierarchicalSomModel(HierarchyMode.RESIDUAL, levels, null, maps);
  }

  /** The hierarchy mode. */
  public HierarchyMode mode() {
    return mode;
  }

  /** The ID space (lattices of every level, and the ID distance). */
  public IdSpace idSpace() {
    return idSpace;
  }

  /** Number of lattice levels. */
  public int levelCount() {
    return levels.size();
  }

  /**
   * The lattice of a level.
   *
   * @throws IndexOutOfBoundsException naming the level when it is not in {@code [0, levelCount())}
   */
  public LatticeSpec lattice(int level) {
    checkElementIndex(level, levels.size(), "level");
    return levels.get(level);
  }

  /** Number of features the model expects. */
  public int dims() {
    return dims;
  }

  /**
   * The map that quantizes at a level for a vector whose cells at the levels above are {@code
   * parentCells}: in TREE mode the child map under that path (empty when no training POI reached
   * it); in RESIDUAL mode the level's single map (the path is ignored but must have {@code level}
   * entries).
   */
  public java.util.Optional<SomMap> map(int level, int... parentCells) {
    checkElementIndex(level, levels.size(), "level");
    checkNotNull(parentCells, "parentCells");
    checkArgument(
        parentCells.length == level,
        "a map at level %s needs %s parent cells, got %s",
        level,
        level,
        parentCells.length);
    if (mode == HierarchyMode.RESIDUAL) {
      return java.util.Optional.of(residualMaps.get(level));
    }
    Node n = root;
    for (int l = 0; l < level; l++) {
      checkElementIndex(parentCells[l], levels.get(l).size(), "cell");
      n = n.children() == null ? null : n.children()[parentCells[l]];
      if (n == null) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.of(n.map());
  }

  /**
   * Every trained map at a level, in lattice order of their paths (TREE: one per occupied parent
   * path; RESIDUAL: the one map). For quality measures that read the codebooks.
   */
  public List<SomMap> maps(int level) {
    checkElementIndex(level, levels.size(), "level");
    if (mode == HierarchyMode.RESIDUAL) {
      return List.of(residualMaps.get(level));
    }
    List<SomMap> out = new ArrayList<>();
    collect(root, 0, level, out);
    return out;
  }

  private static void collect(Node n, int depth, int level, List<SomMap> out) {
    if (depth == level) {
      out.add(n.map());
      return;
    }
    if (n.children() != null) {
      for (Node c : n.children()) {
        if (c != null) {
          collect(c, depth + 1, level, out);
        }
      }
    }
  }

  /** The cells of a vector at every level. */
  public int[] cells(float[] vector) {
    return descend(vector, null);
  }

  /**
   * The vector's approximation after each level: row l is the level-l prototype (TREE) or the sum
   * of the prototypes of levels 0..l (RESIDUAL). Quantization error per level is the distance from
   * the vector to row l.
   */
  public float[][] reconstructions(float[] vector) {
    float[][] out = new float[levels.size()][];
    descend(vector, out);
    return out;
  }

  /** The leaf prototype of a vector: its reconstruction at the deepest level. */
  public float[] leafPrototype(float[] vector) {
    return reconstructions(vector)[levels.size() - 1];
  }

  /**
   * The semantic ID of one vector with collision slot 0 (use {@link #assignIds} for a catalogue).
   */
  public SemanticId quantize(float[] vector) {
    return SemanticId.of(cells(vector), 0);
  }

  private int[] descend(float[] vector, float[][] recon) {
    checkNotNull(vector, "vector");
    checkArgument(
        vector.length == dims, "vector has %s values, the model expects %s", vector.length, dims);
    int[] cells = new int[levels.size()];
    if (mode == HierarchyMode.RESIDUAL) {
      float[] residual = vector.clone();
      float[] sum = new float[dims];
      for (int l = 0; l < levels.size(); l++) {
        SomMap map = residualMaps.get(l);
        int c = map.bmu(residual);
        cells[l] = c;
        float[] w = map.codebook().unsafeData();
        for (int k = 0; k < dims; k++) {
          residual[k] -= w[c * dims + k];
          sum[k] += w[c * dims + k];
        }
        if (recon != null) {
          recon[l] = sum.clone();
        }
      }
      return cells;
    }
    Node n = root;
    float[] last = null;
    for (int l = 0; l < levels.size(); l++) {
      if (n == null) {
        cells[l] = 0;
        if (recon != null) {
          recon[l] = last.clone();
        }
        continue;
      }
      int c = n.map().bmu(vector);
      cells[l] = c;
      last = n.map().prototype(c);
      if (recon != null) {
        recon[l] = last;
      }
      n = n.children() == null ? null : n.children()[c];
    }
    return cells;
  }

  /**
   * Unique, fixed-length IDs for a catalogue of POI vectors (row i = POI i): the cells of each
   * vector, plus a collision slot that orders POIs sharing all cells by their Euclidean distance to
   * the leaf prototype (0 = closest; ties by row order).
   *
   * @param vectors N × D, D = {@link #dims()}
   * @return one ID per row, in row order
   */
  public List<SemanticId> assignIds(FloatMatrix vectors) {
    checkNotNull(vectors, "vectors");
    checkArgument(
        vectors.cols() == dims,
        "vectors have %s columns, the model expects %s",
        vectors.cols(),
        dims);
    int n = vectors.rows();
    int[][] cells = new int[n][];
    double[] dist = new double[n];
    float[] x = vectors.unsafeData();
    java.util.stream.IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              float[] v = Arrays.copyOfRange(x, i * dims, (i + 1) * dims);
              float[][] recon = new float[levels.size()][];
              cells[i] = descend(v, recon);
              float[] leaf = recon[levels.size() - 1];
              double s = 0;
              for (int k = 0; k < dims; k++) {
                double diff = (double) v[k] - leaf[k];
                s += diff * diff;
              }
              dist[i] = Math.sqrt(s);
            });
    Map<List<Integer>, List<Integer>> groups = new HashMap<>();
    for (int i = 0; i < n; i++) {
      groups.computeIfAbsent(key(cells[i]), k -> new ArrayList<>()).add(i);
    }
    SemanticId[] ids = new SemanticId[n];
    for (List<Integer> members : groups.values()) {
      members.sort(Comparator.<Integer>comparingDouble(i -> dist[i]).thenComparingInt(i -> i));
      for (int slot = 0; slot < members.size(); slot++) {
        int i = members.get(slot);
        ids[i] = SemanticId.of(cells[i], slot);
      }
    }
    return List.of(ids);
  }

  /**
   * The semantic-ID index of a POI catalogue: {@link #assignIds} for the vectors, bound to the POI
   * identifiers (row i of {@code vectors} is POI {@code poiIds.get(i)}), over {@link #idSpace()}.
   *
   * @throws IllegalArgumentException when the counts differ, a POI id repeats or is blank
   */
  public SemanticIdIndex index(List<String> poiIds, FloatMatrix vectors) {
    checkNotNull(poiIds, "poiIds");
    checkNotNull(vectors, "vectors");
    checkArgument(
        poiIds.size() == vectors.rows(),
        "%s POI ids for %s vectors",
        poiIds.size(),
        vectors.rows());
    List<SemanticId> ids = assignIds(vectors);
    SemanticIdIndex.Builder b = SemanticIdIndex.builder(idSpace);
    for (int i = 0; i < ids.size(); i++) {
      b.add(poiIds.get(i), ids.get(i));
    }
    return b.build();
  }

  private static List<Integer> key(int[] cells) {
    List<Integer> k = new ArrayList<>(cells.length);
    for (int c : cells) {
      k.add(c);
    }
    return k;
  }

  /**
   * Writes the model (versioned, checksummed binary; atomic replace).
   *
   * @throws IOException when the file or its temporary sibling cannot be written or moved
   */
  public void save(Path file) throws IOException {
    HsomFormat.save(this, file);
  }

  /**
   * Reads a model written by {@link #save}.
   *
   * @throws org.refinepoi.core.io.FileFormatException naming the file when it is not a model file,
   *     is truncated, has an unsupported version, fails its checksum or does not decode (the
   *     message says which)
   * @throws org.refinepoi.core.io.NotEnoughMemoryException when the heap cannot hold the model
   * @throws IOException when the file cannot be read
   */
  public static HierarchicalSomModel load(Path file) throws IOException {
    return HsomFormat.load(file);
  }

  Node root() {
    return root;
  }

  List<SomMap> residualMaps() {
    return residualMaps;
  }

  List<LatticeSpec> levels() {
    return levels;
  }

  /** Residuals of a matrix after subtracting each row's BMU prototype. */
  static FloatMatrix subtractPrototypes(FloatMatrix data, SomMap map) {
    int n = data.rows();
    int d = data.cols();
    float[] x = data.unsafeData();
    float[] w = map.codebook().unsafeData();
    float[] out = new float[n * d];
    java.util.stream.IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              int c = map.bmu(Arrays.copyOfRange(x, i * d, (i + 1) * d));
              for (int k = 0; k < d; k++) {
                out[i * d + k] = x[i * d + k] - w[c * d + k];
              }
            });
    return FloatMatrix.wrap(n, d, out);
  }

  @Override
  public String toString() {
    return "HierarchicalSomModel[" + mode + ", " + levels + ", dims=" + dims + "]";
  }
}
