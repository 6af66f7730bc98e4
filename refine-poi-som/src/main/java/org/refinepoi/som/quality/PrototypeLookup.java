package org.refinepoi.som.quality;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.SemanticId;

/**
 * The prototype (the vector a code stands for) of an ID at a level, for the per-level quantization
 * error. Three sources: {@link #prefixCentroids} (the mean of the POIs sharing the ID's cells up to
 * that level: any scheme, the default for the baselines), {@link #residual} (summed per-level
 * codebooks, for RQ-KMeans and residual SOMs) and, for a tree of SOMs, a lambda that looks up the
 * child map of the parent cell.
 */
@FunctionalInterface
public interface PrototypeLookup {

  /**
   * The prototype of an ID's code at a level: the reconstruction of a vector from the ID's cells at
   * levels {@code 0..level}. Must return a vector of the data's dimension; the caller does not
   * modify it.
   */
  float[] prototype(int level, SemanticId id);

  /**
   * Prototypes as centroids: at level {@code l}, the mean of the vectors whose IDs share the cells
   * of levels {@code 0..l}. For IDs assigned to these very vectors this is the lowest quantization
   * error any prototype can reach for that grouping (it minimizes the squared error). Caveat at
   * fine levels: a leaf holding a single POI has that POI as its centroid and contributes 0, so the
   * centroid error there mostly reflects how many POIs share leaves (random IDs, which rarely
   * collide, score low). Compare schemes' fine-level errors with their own codebooks ({@link
   * #residual}, {@link #tree}) where they have them.
   *
   * @param vectors one row per ID
   * @param ids the IDs of the rows, all with the same number of levels
   */
  static PrototypeLookup prefixCentroids(FloatMatrix vectors, List<SemanticId> ids) {
    checkNotNull(vectors, "vectors");
    checkNotNull(ids, "ids");
    checkArgument(
        vectors.rows() == ids.size(),
        "%s vectors but %s IDs: they must be aligned",
        vectors.rows(),
        ids.size());
    int d = vectors.cols();
    int levels = ids.get(0).levels();
    List<Map<List<Integer>, double[]>> sums = new java.util.ArrayList<>();
    for (int l = 0; l < levels; l++) {
      sums.add(new HashMap<>());
    }
    float[] x = vectors.unsafeData();
    for (int i = 0; i < ids.size(); i++) {
      SemanticId id = ids.get(i);
      checkArgument(
          id.levels() == levels,
          "ID %s of row %s has %s levels, expected %s",
          id,
          i,
          id.levels(),
          levels);
      for (int l = 0; l < levels; l++) {
        double[] acc = sums.get(l).computeIfAbsent(prefix(id, l), key -> new double[d + 1]);
        for (int e = 0; e < d; e++) {
          acc[e] += x[i * d + e];
        }
        acc[d] += 1;
      }
    }
    List<Map<List<Integer>, float[]>> centroids = new java.util.ArrayList<>();
    for (Map<List<Integer>, double[]> level : sums) {
      Map<List<Integer>, float[]> out = new HashMap<>();
      level.forEach(
          (key, acc) -> {
            float[] c = new float[d];
            for (int e = 0; e < d; e++) {
              c[e] = (float) (acc[e] / acc[d]);
            }
            out.put(key, c);
          });
      centroids.add(out);
    }
    return (level, id) -> {
      checkArgument(level >= 0 && level < levels, "level %s out of range [0, %s)", level, levels);
      float[] c = centroids.get(level).get(prefix(id, level));
      checkArgument(c != null, "no vector has the cells of ID %s up to level %s", id, level);
      return c;
    };
  }

  private static List<Integer> prefix(SemanticId id, int level) {
    return ImmutableList.copyOf(
        Arrays.stream(id.cells(), 0, level + 1).boxed().toArray(Integer[]::new));
  }

  /**
   * Prototypes of a residual code: at level {@code l}, the sum over levels {@code 0..l} of the
   * codebook row of the ID's cell at that level.
   *
   * @param codebooks one codebook per level, rows indexed by cell, all with the same columns
   */
  static PrototypeLookup residual(List<FloatMatrix> codebooks) {
    checkNotNull(codebooks, "codebooks");
    checkArgument(!codebooks.isEmpty(), "at least one codebook");
    List<FloatMatrix> books = List.copyOf(codebooks);
    int d = books.get(0).cols();
    for (FloatMatrix b : books) {
      checkArgument(b.cols() == d, "codebooks have %s and %s columns", d, b.cols());
    }
    return (level, id) -> {
      checkArgument(level >= 0 && level < books.size(), "level %s out of range", level);
      float[] out = new float[d];
      for (int l = 0; l <= level; l++) {
        FloatMatrix b = books.get(l);
        int cell = id.cell(l);
        checkArgument(
            cell < b.rows(), "cell %s at level %s outside the %s-row codebook", cell, l, b.rows());
        float[] w = b.unsafeData();
        for (int e = 0; e < d; e++) {
          out[e] += w[cell * d + e];
        }
      }
      return out;
    };
  }

  /**
   * Prototypes of a tree of maps (HSOM TREE mode): at level {@code l}, the row for the ID's level-l
   * cell in the codebook of the map that serves the ID's cells of levels {@code 0..l-1} (the root
   * map for level 0).
   *
   * @param codebookOfParent the codebook of the map under a parent prefix of cells (the empty list
   *     for the root); it must return a codebook for every prefix the IDs use
   */
  static PrototypeLookup tree(Function<List<Integer>, FloatMatrix> codebookOfParent) {
    checkNotNull(codebookOfParent, "codebookOfParent");
    return (level, id) -> {
      checkArgument(level >= 0 && level < id.levels(), "level %s out of range", level);
      List<Integer> parent = level == 0 ? List.of() : prefix(id, level - 1);
      FloatMatrix book = codebookOfParent.apply(parent);
      checkArgument(book != null, "no map under the cells %s of ID %s", parent, id);
      int cell = id.cell(level);
      checkArgument(
          cell < book.rows(),
          "cell %s at level %s outside the %s-unit map under %s",
          cell,
          level,
          book.rows(),
          parent);
      return book.row(cell);
    };
  }
}
