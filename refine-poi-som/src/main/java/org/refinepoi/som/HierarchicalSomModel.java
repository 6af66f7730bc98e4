package org.refinepoi.som;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
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
public final class HierarchicalSomModel implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** A map of the TREE and its children (null entries: cells without training POIs). */
  record Node(SomMap map, Node[] children) {}

  // Never serialized as fields: writeReplace sends the model file's bytes.
  private final transient HierarchyMode mode;
  private final transient ImmutableList<LatticeSpec> levels;
  private final transient IdSpace idSpace;
  private final transient int dims;
  private final transient Node root;
  private final transient ImmutableList<SomMap> residualMaps;

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

  /**
   * A TREE model assembled from its first-level map and the sub-hierarchy under each of its cells
   * (as {@link HierarchicalSom#fitSubtree} trains them, for example one per task of a distributed
   * job).
   *
   * @param levels the lattices, coarsest first
   * @param root the first-level map, on {@code levels.get(0)}
   * @param subtrees one entry per first-level cell: the TREE model over {@code levels[1..]} of the
   *     POIs of that cell, or null for a cell without POIs; empty for a one-level model
   * @throws IllegalArgumentException when a lattice, a width or the number of subtrees does not fit
   */
  public static HierarchicalSomModel ofTree(
      List<LatticeSpec> levels, SomMap root, List<HierarchicalSomModel> subtrees) {
    checkNotNull(levels, "levels");
    checkNotNull(root, "root");
    checkNotNull(subtrees, "subtrees");
    checkArgument(!levels.isEmpty(), "a hierarchical SOM needs at least one level");
    checkArgument(
        root.lattice().equals(levels.get(0)),
        "root map is on %s, level 0 is %s",
        root.lattice(),
        levels.get(0));
    if (levels.size() == 1) {
      checkArgument(subtrees.isEmpty(), "a one-level model has no subtrees");
      return tree(levels, new Node(root, null));
    }
    int cells = root.lattice().size();
    checkArgument(
        subtrees.size() == cells, "%s subtrees for %s first-level cells", subtrees.size(), cells);
    List<LatticeSpec> below = levels.subList(1, levels.size());
    Node[] children = new Node[cells];
    for (int u = 0; u < cells; u++) {
      HierarchicalSomModel t = subtrees.get(u);
      if (t == null) {
        continue;
      }
      checkArgument(
          t.mode == HierarchyMode.TREE && t.levels.equals(below) && t.dims == root.dims(),
          "subtree of cell %s is %s, expected a TREE over %s with %s features",
          u,
          t,
          below,
          root.dims());
      children[u] = t.root;
    }
    return tree(levels, new Node(root, children));
  }

  /**
   * A RESIDUAL model from its maps, one per level.
   *
   * @throws IllegalArgumentException when the counts, lattices or widths do not match
   */
  public static HierarchicalSomModel ofResidual(List<LatticeSpec> levels, List<SomMap> maps) {
    checkNotNull(levels, "levels");
    checkNotNull(maps, "maps");
    checkArgument(!levels.isEmpty(), "a hierarchical SOM needs at least one level");
    checkArgument(
        maps.size() == levels.size(), "%s maps for %s levels", maps.size(), levels.size());
    for (int l = 0; l < levels.size(); l++) {
      SomMap m = checkNotNull(maps.get(l), "map of level %s", l);
      checkArgument(
          m.lattice().equals(levels.get(l)) && m.dims() == maps.get(0).dims(),
          "map of level %s is on %s with %s features, expected %s with %s",
          l,
          m.lattice(),
          m.dims(),
          levels.get(l),
          maps.get(0).dims());
    }
    return residual(levels, maps);
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
   * Where a vector lands: its cell at every level and its Euclidean distance to its leaf prototype
   * (double precision), the two things {@link #assignIds} orders collision slots by.
   *
   * @param cells one cell per level
   * @param leafDistance distance from the vector to {@link #leafPrototype}
   */
  public record Placement(int[] cells, double leafDistance) {}

  /**
   * The cells and leaf distance of one vector, exactly as {@link #assignIds} computes them (a
   * distributed assignment calls this per row and then orders each leaf's POIs by distance).
   *
   * @throws IllegalArgumentException when the vector's length differs from {@link #dims()}
   */
  public Placement place(float[] vector) {
    float[][] recon = new float[levels.size()][];
    int[] cells = descend(vector, recon);
    float[] leaf = recon[levels.size() - 1];
    double s = 0;
    for (int k = 0; k < dims; k++) {
      double diff = (double) vector[k] - leaf[k];
      s += diff * diff;
    }
    return new Placement(cells, Math.sqrt(s));
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
              Placement p = place(Arrays.copyOfRange(x, i * dims, (i + 1) * dims));
              cells[i] = p.cells();
              dist[i] = p.leafDistance();
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

  /**
   * Residuals of a matrix after subtracting each row's BMU prototype (float arithmetic): what a
   * RESIDUAL level below {@code map} trains on. Public so a distributed trainer can form the
   * residuals of each block of its data exactly as {@link HierarchicalSom#fit} does.
   */
  public static FloatMatrix subtractPrototypes(FloatMatrix data, SomMap map) {
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

  /** Serialized as its model file's bytes (the loader validates them on the way back). */
  @Serial
  private Object writeReplace() throws ObjectStreamException {
    try {
      return new SerializedForm(HsomFormat.toBytes(this));
    } catch (IOException e) {
      throw new java.io.InvalidObjectException("cannot serialize " + this + ": " + e.getMessage());
    }
  }

  @Serial
  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a HierarchicalSomModel is read from its file form");
  }

  /** The serial form: the bytes of the model file. */
  private record SerializedForm(byte[] bytes) implements Serializable {
    @Serial
    private Object readResolve() throws ObjectStreamException {
      try {
        return HsomFormat.fromBytes(bytes, "serialized HierarchicalSomModel");
      } catch (IOException e) {
        throw new java.io.InvalidObjectException(e.getMessage());
      }
    }
  }

  @Override
  public String toString() {
    return "HierarchicalSomModel[" + mode + ", " + levels + ", dims=" + dims + "]";
  }
}
