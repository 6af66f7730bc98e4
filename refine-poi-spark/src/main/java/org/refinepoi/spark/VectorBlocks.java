package org.refinepoi.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.som.backend.FixedPoint;
import org.refinepoi.som.backend.JavaBlockKernel;
import org.refinepoi.som.backend.SumFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.Tuple3;

/**
 * A data set's vectors as cached blocks ({@link VectorBlock}), validated on the way in, with what
 * every epoch needs to know about them: the number of rows, their width, the fixed-point format of
 * their sums, and where each partition starts in the data set's order.
 */
final class VectorBlocks {

  private static final Logger LOG = LoggerFactory.getLogger(VectorBlocks.class);

  private final JavaRDD<VectorBlock> rdd;
  private final long rows;
  private final int dims;
  private final SumFormat format;
  private final long[] offsets;
  private final boolean ordered;

  private VectorBlocks(
      JavaRDD<VectorBlock> rdd,
      long rows,
      int dims,
      SumFormat format,
      long[] offsets,
      boolean ordered) {
    this.rdd = rdd;
    this.rows = rows;
    this.dims = dims;
    this.format = format;
    this.offsets = offsets;
    this.ordered = ordered;
  }

  /**
   * Reads, validates and caches a data set's vectors.
   *
   * @param dims the expected width, or 0 to take the first row's
   * @throws InvalidRowException naming the first bad row found
   * @throws IllegalArgumentException when the data set has no rows
   */
  static VectorBlocks load(
      Dataset<Row> data, RowReader reader, int dims, int blockRows, StorageLevel level) {
    Dataset<Row> projected = reader.project(data);
    JavaRDD<InternalRow> internal = projected.queryExecution().toRdd().toJavaRDD();
    int width = dims > 0 ? dims : firstWidth(projected, reader);
    JavaRDD<VectorBlock> blocks =
        internal
            .mapPartitionsWithIndex(
                (partition, it) -> new BlockIterator(it, reader, width, blockRows, partition), true)
            .persist(level);
    try {
      return measure(blocks, width, reader.hasOrder(), () -> partitionSizes(internal));
    } catch (RuntimeException e) {
      blocks.unpersist(false);
      throw e;
    }
  }

  /** The same rows with transformed vectors (cached, measured again). */
  VectorBlocks mapVectors(
      org.apache.spark.api.java.function.Function<FloatMatrix, FloatMatrix> f, StorageLevel level) {
    JavaRDD<VectorBlock> mapped = rdd.map(b -> b.withVectors(f.call(b.vectors()))).persist(level);
    try {
      return measure(mapped, dims, ordered, null);
    } catch (RuntimeException e) {
      mapped.unpersist(false);
      throw e;
    }
  }

  private static VectorBlocks measure(
      JavaRDD<VectorBlock> blocks,
      int dims,
      boolean ordered,
      java.util.function.Supplier<long[]> sizes) {
    List<Tuple2<Integer, Tuple3<Long, float[], String>>> stats =
        SparkErrors.run(
            () ->
                blocks
                    .mapPartitionsWithIndex(
                        (partition, it) -> {
                          long n = 0;
                          float[] maxAbs = new float[dims];
                          while (it.hasNext()) {
                            VectorBlock b = it.next();
                            n += b.rows();
                            float[] m = FixedPoint.columnMaxAbs(b.vectors().unsafeData(), dims);
                            for (int c = 0; c < dims; c++) {
                              maxAbs[c] = Math.max(maxAbs[c], m[c]);
                            }
                          }
                          String kernel = JavaBlockKernel.create().description();
                          return List.of(new Tuple2<>(partition, new Tuple3<>(n, maxAbs, kernel)))
                              .iterator();
                        },
                        true)
                    .collect(),
            sizes);
    int parts = blocks.getNumPartitions();
    long[] counts = new long[parts];
    float[] maxAbs = new float[dims];
    java.util.Set<String> kernels = new java.util.TreeSet<>();
    for (Tuple2<Integer, Tuple3<Long, float[], String>> s : stats) {
      counts[s._1()] = s._2()._1();
      kernels.add(s._2()._3());
      for (int c = 0; c < dims; c++) {
        maxAbs[c] = Math.max(maxAbs[c], s._2()._2()[c]);
      }
    }
    if (kernels.stream().anyMatch(k -> k.startsWith("scalar"))) {
      LOG.warn(
          "executors run the scalar SOM kernel ({}): same results, about 10x slower; add"
              + " --add-modules jdk.incubator.vector to spark.executor.extraJavaOptions",
          kernels);
    } else {
      LOG.info("executor SOM kernels: {}", kernels);
    }
    long[] offsets = new long[parts];
    long total = 0;
    for (int p = 0; p < parts; p++) {
      offsets[p] = total;
      total += counts[p];
    }
    if (total == 0) {
      throw new IllegalArgumentException("the data set has no rows to train on");
    }
    LOG.debug("{} rows x {} in {} partitions cached", total, dims, parts);
    return new VectorBlocks(blocks, total, dims, SumFormat.of(total, maxAbs), offsets, ordered);
  }

  /** The first non-null vector's length (the width when none is configured). */
  private static int firstWidth(Dataset<Row> projected, RowReader reader) {
    Dataset<Row> first =
        projected.where(projected.col(reader.vector().name()).isNotNull()).limit(1);
    List<Integer> lengths =
        first.queryExecution().toRdd().toJavaRDD().map(reader::vectorLength).collect();
    if (lengths.isEmpty()) {
      throw new IllegalArgumentException(
          "the data set has no rows with a vector in column '" + reader.vector().name() + "'");
    }
    int width = lengths.get(0);
    if (width < 1) {
      throw new IllegalArgumentException(
          "the first vector in column '" + reader.vector().name() + "' is empty");
    }
    return width;
  }

  /** Rows per partition of the input (for naming a row by its position; runs a job). */
  static long[] partitionSizes(JavaRDD<InternalRow> internal) {
    List<Tuple2<Integer, Long>> sizes =
        internal
            .mapPartitionsWithIndex(
                (partition, it) -> {
                  long n = 0;
                  while (it.hasNext()) {
                    it.next();
                    n++;
                  }
                  return List.of(new Tuple2<>(partition, n)).iterator();
                },
                true)
            .collect();
    long[] out = new long[internal.getNumPartitions()];
    for (Tuple2<Integer, Long> s : sizes) {
      out[s._1()] = s._2();
    }
    return out;
  }

  JavaRDD<VectorBlock> rdd() {
    return rdd;
  }

  JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(rdd.context());
  }

  long rows() {
    return rows;
  }

  int dims() {
    return dims;
  }

  SumFormat format() {
    return format;
  }

  /** Where each partition starts in the data set's order (positions, not order-column values). */
  long[] offsets() {
    return offsets.clone();
  }

  /** Whether keys are order-column values (else positions). */
  boolean ordered() {
    return ordered;
  }

  void unpersist() {
    rdd.unpersist(false);
  }

  /** Packs a partition's rows into blocks, validating each row. */
  private static final class BlockIterator implements Iterator<VectorBlock> {
    private final Iterator<InternalRow> rows;
    private final RowReader reader;
    private final int dims;
    private final int blockRows;
    private final int partition;
    private long index;

    BlockIterator(
        Iterator<InternalRow> rows, RowReader reader, int dims, int blockRows, int partition) {
      this.rows = rows;
      this.reader = reader;
      this.dims = dims;
      this.blockRows = blockRows;
      this.partition = partition;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public VectorBlock next() {
      if (!rows.hasNext()) {
        throw new NoSuchElementException();
      }
      long first = index;
      float[] data = new float[blockRows * dims];
      List<Long> keys = reader.hasOrder() ? new ArrayList<>() : null;
      int n = 0;
      while (n < blockRows && rows.hasNext()) {
        InternalRow row = rows.next();
        reader.readVector(row, dims, data, n * dims, partition, index);
        if (keys != null) {
          keys.add(reader.order(row, partition, index));
        }
        n++;
        index++;
      }
      float[] exact = n == blockRows ? data : java.util.Arrays.copyOf(data, n * dims);
      long[] orderKeys = null;
      if (keys != null) {
        orderKeys = new long[n];
        for (int i = 0; i < n; i++) {
          orderKeys[i] = keys.get(i);
        }
      }
      return new VectorBlock(partition, first, orderKeys, FloatMatrix.wrap(n, dims, exact));
    }
  }
}
