package org.refinepoi.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.HierarchyMode;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.JavaBlockKernel;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.train.Initialization;
import org.refinepoi.som.train.PcaMoments;
import org.refinepoi.som.train.SomConfig;
import org.refinepoi.som.train.SomMap;
import org.refinepoi.som.train.SomTrainer;
import org.refinepoi.som.train.TrainingAlgorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Trains a {@link HierarchicalSom} (TREE or RESIDUAL, batch map) on a Spark {@code Dataset<Row>}
 * whose vector column is {@code array<float>}, {@code array<double>} or a Spark ML {@code Vector}.
 * The result is the same {@link HierarchicalSomModel} {@link HierarchicalSom#fit} returns on the
 * rows as one matrix with the pure-Java backend, bit for bit, whatever the number of partitions:
 *
 * <ul>
 *   <li>the rows are validated and cached once as blocks on the executors (a null, NaN or infinite
 *       value, or a vector of another width, fails with {@link InvalidRowException} naming the row;
 *       an empty data set is refused; empty partitions are fine);
 *   <li>PCA initialization sums the column means and the D × D covariance over the partitions in
 *       fixed point; random initialization picks the rows at the positions the local trainer would;
 *   <li>each batch-map epoch broadcasts the codebook, sums per unit in fixed point on the
 *       executors, adds the sums exactly in a tree reduce, and applies the neighbourhood on the
 *       driver, which holds only M × D values;
 *   <li>TREE: the rows are shuffled by first-level cell, sorted by their order key, and each cell's
 *       sub-hierarchy is trained in its own task ({@link HierarchicalSom#fitSubtree}), all cells in
 *       parallel; the driver assembles the model from the first-level map and the subtrees;
 *   <li>RESIDUAL: each level trains on the cached residuals of the levels above.
 * </ul>
 *
 * <p><b>Row order.</b> Only a few steps depend on the order of the rows (random initialization, and
 * the order of a cell's rows inside its subtree's training): it is the order column's value when
 * one is set (an integer column of distinct values, for example a row number), else the data set's
 * own order (partition by partition, as Spark reads it). Equality with {@code
 * HierarchicalSom.fit(matrix)} holds when the matrix's rows are in that order. Set an order column
 * when the data set is the result of a shuffle or of a multi-file read whose order may change.
 *
 * <p>Defaults: vector column {@code vector}; no id column (rows are then named by position in
 * errors); no order column; blocks of 4096 rows; cached {@code MEMORY_AND_DISK}; tree reduce of
 * depth 2; as many child-training partitions as the data set has. Build with {@link #builder}.
 * Executors should run with {@code --add-modules jdk.incubator.vector} in {@code
 * spark.executor.extraJavaOptions}, or the kernels fall back to their scalar form (same results,
 * about 10x slower); the fit logs which kernel the executors ran.
 */
public final class SparkHierarchicalSom {

  private static final Logger LOG = LoggerFactory.getLogger(SparkHierarchicalSom.class);

  private final HierarchicalSom hsom;
  private final String vectorColumn;
  private final String idColumn;
  private final String orderColumn;
  private final int dims;
  private final int blockRows;
  private final StorageLevel storageLevel;
  private final int reduceDepth;
  private final int childPartitions;
  private final EpochListener listener;

  private SparkHierarchicalSom(Builder b) {
    this.hsom = b.hsom;
    this.vectorColumn = b.vectorColumn;
    this.idColumn = b.idColumn;
    this.orderColumn = b.orderColumn;
    this.dims = b.dims;
    this.blockRows = b.blockRows;
    this.storageLevel = b.storageLevel;
    this.reduceDepth = b.reduceDepth;
    this.childPartitions = b.childPartitions;
    this.listener = b.listener;
  }

  /**
   * A builder for a hierarchy configuration (levels, mode, epochs, schedules, initialization, seed:
   * everything {@link HierarchicalSom.Builder} sets; its backend is not used, the executors run the
   * pure-Java kernels).
   *
   * @throws IllegalArgumentException when the configuration uses the online rule (the batch map is
   *     what distributes)
   */
  public static Builder builder(HierarchicalSom hsom) {
    checkNotNull(hsom, "hsom");
    checkArgument(
        hsom.algorithm() == TrainingAlgorithm.BATCH,
        "only the batch map trains on Spark; the online rule is sequential");
    return new Builder(hsom);
  }

  /** The hierarchy configuration. */
  public HierarchicalSom hsom() {
    return hsom;
  }

  /** Observes the distributed epochs (for progress and benchmarks). */
  @FunctionalInterface
  public interface EpochListener {
    /**
     * One epoch of a distributed map finished.
     *
     * @param level the level (0 = first)
     * @param epoch the 0-based epoch
     * @param seconds its wall time
     */
    void epochDone(int level, int epoch, double seconds);

    /**
     * A phase finished: {@code "load"} (read, validate and cache the rows), {@code "init"}, {@code
     * "children"} (every TREE subtree) or {@code "residuals"}.
     *
     * @param level the level it belongs to
     */
    default void phaseDone(String phase, int level, double seconds) {}
  }

  /**
   * Trains the hierarchy on the data set's rows.
   *
   * @throws InvalidRowException naming the first bad row the executors found
   * @throws IllegalArgumentException when a column is missing or of the wrong type, or the data set
   *     is empty
   */
  public HierarchicalSomModel fit(Dataset<Row> data) {
    checkNotNull(data, "data");
    return SparkErrors.run(() -> fitRows(data), null);
  }

  private HierarchicalSomModel fitRows(Dataset<Row> data) {
    long t0 = System.nanoTime();
    RowReader reader = RowReader.of(data, vectorColumn, idColumn, orderColumn);
    VectorBlocks blocks = VectorBlocks.load(data, reader, dims, blockRows, storageLevel);
    listener.phaseDone("load", 0, seconds(t0));
    LOG.info(
        "training {} HSOM {} on {} rows x {} in {} partitions",
        hsom.mode(),
        hsom.levels(),
        blocks.rows(),
        blocks.dims(),
        blocks.rdd().getNumPartitions());
    try {
      return hsom.mode() == HierarchyMode.TREE ? fitTree(blocks) : fitResidual(blocks);
    } finally {
      blocks.unpersist();
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private HierarchicalSomModel fitTree(VectorBlocks blocks) {
    SomMap root = trainMap(blocks, 0);
    List<LatticeSpec> levels = hsom.levels();
    if (levels.size() == 1) {
      return HierarchicalSomModel.ofTree(levels, root, List.of());
    }
    long t0 = System.nanoTime();
    List<HierarchicalSomModel> subtrees = trainSubtrees(blocks, root);
    listener.phaseDone("children", 1, seconds(t0));
    return HierarchicalSomModel.ofTree(levels, root, subtrees);
  }

  private HierarchicalSomModel fitResidual(VectorBlocks blocks) {
    List<SomMap> maps = new ArrayList<>();
    VectorBlocks current = blocks;
    try {
      for (int l = 0; l < hsom.levels().size(); l++) {
        SomMap map = trainMap(current, l);
        maps.add(map);
        if (l + 1 < hsom.levels().size()) {
          long t0 = System.nanoTime();
          VectorBlocks next =
              current.mapVectors(
                  x -> HierarchicalSomModel.subtractPrototypes(x, map), storageLevel);
          if (current != blocks) {
            current.unpersist();
          }
          current = next;
          listener.phaseDone("residuals", l + 1, seconds(t0));
        }
      }
    } finally {
      if (current != blocks) {
        current.unpersist();
      }
    }
    return HierarchicalSomModel.ofResidual(hsom.levels(), maps);
  }

  /** One map at a level with no parent path (level 0, or a RESIDUAL level). */
  private SomMap trainMap(VectorBlocks blocks, int level) {
    SomConfig config = hsom.levelConfig(level);
    long t0 = System.nanoTime();
    FloatMatrix init = initialize(blocks, config);
    listener.phaseDone("init", level, seconds(t0));
    try (SparkSomSession session = new SparkSomSession(blocks, reduceDepth)) {
      long[] last = {System.nanoTime()};
      return new SomTrainer(config)
          .trainBatch(
              session,
              init,
              (epoch, radius, codebook) -> {
                long now = System.nanoTime();
                listener.epochDone(level, epoch, (now - last[0]) / 1e9);
                last[0] = now;
              });
    }
  }

  /** The initial codebook {@code config.initialization().initialize(matrix, ...)} would give. */
  private FloatMatrix initialize(VectorBlocks blocks, SomConfig config) {
    LatticeSpec lattice = config.lattice();
    if (config.initialization() == Initialization.RANDOM_SAMPLES) {
      long[] chosen = Initialization.randomSampleRows(blocks.rows(), lattice.size(), config.seed());
      return rowsAtPositions(blocks, chosen);
    }
    if (blocks.rows() < blocks.dims()) {
      // Fewer rows than features: the Gram-matrix route needs the rows themselves (at most D).
      long[] all = new long[(int) blocks.rows()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      return config
          .initialization()
          .initialize(rowsAtPositions(blocks, all), lattice, config.seed());
    }
    org.refinepoi.som.backend.SumFormat format = blocks.format();
    PcaMoments.Sums sums =
        blocks
            .rdd()
            .aggregate(
                new PcaMoments.Sums(format),
                (acc, b) -> acc.addAll(b.vectors()),
                PcaMoments.Sums::merge);
    double[] mean = sums.mean();
    PcaMoments.Covariance cov =
        blocks
            .rdd()
            .aggregate(
                new PcaMoments.Covariance(format, mean),
                (acc, b) -> acc.addAll(b.vectors()),
                PcaMoments.Covariance::merge);
    return Initialization.pcaFromMoments(mean, cov.matrix(), lattice, config.seed());
  }

  /**
   * The rows at the given positions of the data set's order (repeats allowed), in the given order.
   * Positions are ranks of the order key: the position itself without an order column; with one,
   * the rank among the sorted order values.
   */
  private static FloatMatrix rowsAtPositions(VectorBlocks blocks, long[] positions) {
    long[] offsets = blocks.offsets();
    Set<Long> wanted = new HashSet<>();
    for (long p : positions) {
      wanted.add(p);
    }
    Map<Long, Long> keyOfPosition = new HashMap<>();
    if (blocks.ordered()) {
      // Rank the order values: only the keys travel (8 bytes a row).
      List<Tuple2<Long, Long>> ranked =
          blocks
              .rdd()
              .flatMap(
                  b -> {
                    List<Long> keys = new ArrayList<>(b.rows());
                    for (int i = 0; i < b.rows(); i++) {
                      keys.add(b.key(i, offsets));
                    }
                    return keys.iterator();
                  })
              .sortBy(k -> k, true, blocks.rdd().getNumPartitions())
              .zipWithIndex()
              .filter(t -> wanted.contains(t._2()))
              .collect();
      for (Tuple2<Long, Long> t : ranked) {
        keyOfPosition.put(t._2(), t._1());
      }
    } else {
      for (long p : wanted) {
        keyOfPosition.put(p, p);
      }
    }
    Set<Long> keys = new HashSet<>(keyOfPosition.values());
    List<Tuple2<Long, float[]>> found =
        blocks
            .rdd()
            .flatMap(
                b -> {
                  List<Tuple2<Long, float[]>> out = new ArrayList<>();
                  for (int i = 0; i < b.rows(); i++) {
                    long k = b.key(i, offsets);
                    if (keys.contains(k)) {
                      out.add(new Tuple2<>(k, b.vectors().row(i)));
                    }
                  }
                  return out.iterator();
                })
            .collect();
    Map<Long, float[]> rowOfKey = new HashMap<>();
    for (Tuple2<Long, float[]> t : found) {
      if (rowOfKey.put(t._1(), t._2()) != null) {
        throw InvalidRowException.named(
            "row with order value " + t._1(), "the order value appears on more than one row");
      }
    }
    int d = blocks.dims();
    float[] out = new float[Math.multiplyExact(positions.length, d)];
    for (int i = 0; i < positions.length; i++) {
      float[] row = rowOfKey.get(keyOfPosition.get(positions[i]));
      System.arraycopy(row, 0, out, i * d, d);
    }
    return FloatMatrix.wrap(positions.length, d, out);
  }

  /** Every first-level cell's TREE subtree, trained in parallel, one task per group of cells. */
  private List<HierarchicalSomModel> trainSubtrees(VectorBlocks blocks, SomMap root) {
    long[] offsets = blocks.offsets();
    Broadcast<FloatMatrix> rootCodebook = blocks.context().broadcast(root.codebook());
    HierarchicalSom config = hsom;
    int dims = root.dims();
    int parts = childPartitions > 0 ? childPartitions : blocks.rdd().getNumPartitions();
    try {
      JavaPairRDD<CellKey, float[]> byCell =
          blocks
              .rdd()
              .mapPartitionsToPair(
                  it -> {
                    JavaBlockKernel kernel = JavaBlockKernel.create();
                    JavaBlockKernel.PreparedCodebook cb = kernel.prepare(rootCodebook.value());
                    return new CellRows(it, kernel, cb, offsets);
                  });
      List<Tuple2<Integer, HierarchicalSomModel>> trained =
          SparkErrors.run(
              () ->
                  byCell
                      .repartitionAndSortWithinPartitions(new CellPartitioner(parts), CellKey.ORDER)
                      .mapPartitions(
                          it -> {
                            HierarchicalSom local = config.withBackend(new JavaSomBackend(1));
                            return new SubtreeTrainer(it, local, dims);
                          })
                      .collect(),
              null);
      List<HierarchicalSomModel> subtrees =
          new ArrayList<>(java.util.Collections.nCopies(root.lattice().size(), null));
      for (Tuple2<Integer, HierarchicalSomModel> t : trained) {
        subtrees.set(t._1(), t._2());
      }
      return subtrees;
    } finally {
      rootCodebook.destroy();
    }
  }

  /** A row's first-level cell and order key: what the child shuffle partitions and sorts by. */
  record CellKey(int cell, long key) implements Serializable {
    static final Comparator<CellKey> ORDER = new CellKeyOrder();
  }

  /** Orders by cell, then key (serializable, for the shuffle's sort). */
  static final class CellKeyOrder implements Comparator<CellKey>, Serializable {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public int compare(CellKey a, CellKey b) {
      int c = Integer.compare(a.cell(), b.cell());
      return c != 0 ? c : Long.compare(a.key(), b.key());
    }
  }

  /** Sends all rows of a cell to one partition. */
  static final class CellPartitioner extends Partitioner {
    @Serial private static final long serialVersionUID = 1L;

    private final int partitions;

    CellPartitioner(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return Math.floorMod(((CellKey) key).cell(), partitions);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CellPartitioner p && p.partitions == partitions;
    }

    @Override
    public int hashCode() {
      return partitions;
    }
  }

  /** Each row of a partition's blocks with its first-level cell (one BMU search per block). */
  private static final class CellRows implements Iterator<Tuple2<CellKey, float[]>> {
    private final Iterator<VectorBlock> blocks;
    private final JavaBlockKernel kernel;
    private final JavaBlockKernel.PreparedCodebook codebook;
    private final long[] offsets;
    private VectorBlock block;
    private int[] cells;
    private int next;

    CellRows(
        Iterator<VectorBlock> blocks,
        JavaBlockKernel kernel,
        JavaBlockKernel.PreparedCodebook codebook,
        long[] offsets) {
      this.blocks = blocks;
      this.kernel = kernel;
      this.codebook = codebook;
      this.offsets = offsets;
    }

    @Override
    public boolean hasNext() {
      while (block == null || next == block.rows()) {
        if (!blocks.hasNext()) {
          return false;
        }
        block = blocks.next();
        BmuResult r = kernel.bmu(block.vectors(), codebook, false);
        cells = r.best();
        next = 0;
      }
      return true;
    }

    @Override
    public Tuple2<CellKey, float[]> next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      int i = next++;
      return new Tuple2<>(new CellKey(cells[i], block.key(i, offsets)), block.vectors().row(i));
    }
  }

  /** Trains the subtree of each cell of a partition sorted by (cell, key), one cell at a time. */
  private static final class SubtreeTrainer
      implements Iterator<Tuple2<Integer, HierarchicalSomModel>> {
    private final Iterator<Tuple2<CellKey, float[]>> rows;
    private final HierarchicalSom hsom;
    private final int dims;
    private Tuple2<CellKey, float[]> pending;

    SubtreeTrainer(Iterator<Tuple2<CellKey, float[]>> rows, HierarchicalSom hsom, int dims) {
      this.rows = rows;
      this.hsom = hsom;
      this.dims = dims;
    }

    @Override
    public boolean hasNext() {
      return pending != null || rows.hasNext();
    }

    @Override
    public Tuple2<Integer, HierarchicalSomModel> next() {
      if (pending == null) {
        pending = rows.next();
      }
      int cell = pending._1().cell();
      List<float[]> members = new ArrayList<>();
      long lastKey = 0;
      while (pending != null && pending._1().cell() == cell) {
        if (!members.isEmpty() && pending._1().key() == lastKey) {
          throw InvalidRowException.named(
              "row with order value " + lastKey,
              "the order value appears on more than one row; order values must be distinct");
        }
        lastKey = pending._1().key();
        members.add(pending._2());
        pending = rows.hasNext() ? rows.next() : null;
      }
      float[] data = new float[Math.multiplyExact(members.size(), dims)];
      for (int i = 0; i < members.size(); i++) {
        System.arraycopy(members.get(i), 0, data, i * dims, dims);
      }
      FloatMatrix matrix = FloatMatrix.wrap(members.size(), dims, data);
      return new Tuple2<>(cell, hsom.fitSubtree(cell, matrix));
    }
  }

  /** Builds a {@link SparkHierarchicalSom}; see the class comment for the defaults. */
  public static final class Builder {
    private final HierarchicalSom hsom;
    private String vectorColumn = "vector";
    private String idColumn;
    private String orderColumn;
    private int dims;
    private int blockRows = 4096;
    private StorageLevel storageLevel = StorageLevel.MEMORY_AND_DISK();
    private int reduceDepth = 2;
    private int childPartitions;
    private EpochListener listener = (level, epoch, seconds) -> {};

    private Builder(HierarchicalSom hsom) {
      this.hsom = hsom;
    }

    /** The vector column (default {@code vector}). */
    public Builder vectorColumn(String column) {
      this.vectorColumn = checkColumn(column);
      return this;
    }

    /** A string column naming rows in error messages (default none). */
    public Builder idColumn(String column) {
      this.idColumn = checkColumn(column);
      return this;
    }

    /**
     * An integer column of distinct values giving the row order (default none: the data set's own
     * order). See the class comment.
     */
    public Builder orderColumn(String column) {
      this.orderColumn = checkColumn(column);
      return this;
    }

    /** The vector width to expect (default 0: the first row's). */
    public Builder dims(int value) {
      checkArgument(value >= 0, "dims must be >= 0, got %s", value);
      this.dims = value;
      return this;
    }

    /** Rows per cached block, 1 to 1,048,576 (default 4096). */
    public Builder blockRows(int value) {
      checkArgument(
          value >= 1 && value <= 1 << 20, "blockRows must be in [1, 2^20], got %s", value);
      this.blockRows = value;
      return this;
    }

    /** How the blocks are cached (default {@code MEMORY_AND_DISK}). */
    public Builder storageLevel(StorageLevel value) {
      this.storageLevel = checkNotNull(value, "storageLevel");
      return this;
    }

    /** Depth of the epoch sums' tree reduce, >= 1 (default 2). */
    public Builder reduceDepth(int value) {
      checkArgument(value >= 1, "reduceDepth must be >= 1, got %s", value);
      this.reduceDepth = value;
      return this;
    }

    /** Partitions of the TREE child-training shuffle, >= 0 (default 0: as many as the data set). */
    public Builder childPartitions(int value) {
      checkArgument(value >= 0, "childPartitions must be >= 0, got %s", value);
      this.childPartitions = value;
      return this;
    }

    /** Observes epochs and phases (default: none). */
    public Builder listener(EpochListener value) {
      this.listener = checkNotNull(value, "listener");
      return this;
    }

    private static String checkColumn(String column) {
      checkNotNull(column, "column");
      checkArgument(!column.isBlank(), "column name must not be blank");
      return column;
    }

    /** The trainer. */
    public SparkHierarchicalSom build() {
      return new SparkHierarchicalSom(this);
    }
  }

  @Override
  public String toString() {
    return "SparkHierarchicalSom["
        + hsom.mode()
        + " "
        + hsom.levels()
        + ", column "
        + vectorColumn
        + "]";
  }
}
