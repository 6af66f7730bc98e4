package org.refinepoi.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.refinepoi.som.HierarchicalSomModel;

/**
 * Assigns semantic IDs to a POI catalogue held in a Spark {@code Dataset<Row>} with a trained
 * {@link HierarchicalSomModel}: the distributed form of {@link HierarchicalSomModel#index}. Each
 * row's cells and leaf distance are computed on the executors ({@link HierarchicalSomModel#place});
 * POIs that share all cells get collision slots ordered by distance to the leaf prototype, then by
 * row order, exactly as the local index orders them. The result ({@link SemanticIdAssignment}) has
 * one row per POI: {@code poi_id} (string), {@code sid} (the ID's tokens, {@code
 * <a_03_12><b_1_2><c_0>}), {@code cells} ({@code array<int>}, one per level), {@code slot} (int)
 * and {@code leaf_distance} (double).
 *
 * <p>Defaults: id column {@code poi_id}, vector column {@code vector}, no order column (ties in
 * distance are broken by the data set's own order; set an integer order column when that order is
 * not stable). Rows are validated when {@link #assign} runs (a missing or blank id, a null, NaN or
 * infinite vector value, a vector of another width, a POI id or an order value on more than one
 * row: {@link InvalidRowException} naming the row).
 */
public final class SparkSemanticIds {

  /** Schema of the assignment: {@code poi_id, sid, cells, slot, leaf_distance}. */
  public static final StructType SCHEMA =
      new StructType()
          .add("poi_id", DataTypes.StringType, false)
          .add("sid", DataTypes.StringType, false)
          .add("cells", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add("slot", DataTypes.IntegerType, false)
          .add("leaf_distance", DataTypes.DoubleType, false);

  private static final StructType PLACED =
      new StructType()
          .add("poi_id", DataTypes.StringType, false)
          .add("cells", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add("leaf_distance", DataTypes.DoubleType, false)
          .add("order", DataTypes.LongType, false);

  private final HierarchicalSomModel model;
  private final String idColumn;
  private final String vectorColumn;
  private final String orderColumn;
  private final StorageLevel storageLevel;

  private SparkSemanticIds(Builder b) {
    this.model = b.model;
    this.idColumn = b.idColumn;
    this.vectorColumn = b.vectorColumn;
    this.orderColumn = b.orderColumn;
    this.storageLevel = b.storageLevel;
  }

  /** A builder for a model. */
  public static Builder builder(HierarchicalSomModel model) {
    return new Builder(checkNotNull(model, "model"));
  }

  /**
   * Places every row and numbers the collision slots. The rows' placements are cached until the
   * assignment is {@linkplain SemanticIdAssignment#close() closed}.
   *
   * @throws InvalidRowException naming the first bad row found
   * @throws IllegalArgumentException when a column is missing or of the wrong type, or the data set
   *     is empty
   */
  public SemanticIdAssignment assign(Dataset<Row> pois) {
    checkNotNull(pois, "pois");
    RowReader reader = RowReader.of(pois, vectorColumn, idColumn, orderColumn);
    SparkSession spark = pois.sparkSession();
    JavaRDD<InternalRow> internal = reader.project(pois).queryExecution().toRdd().toJavaRDD();
    long[] offsets = reader.hasOrder() ? null : offsets(internal);
    Broadcast<HierarchicalSomModel> shared =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
            .broadcast(model);
    int dims = model.dims();
    JavaRDD<Row> placedRows =
        internal.mapPartitionsWithIndex(
            (partition, it) -> {
              HierarchicalSomModel m = shared.value();
              float[] v = new float[dims];
              List<Row> out = new ArrayList<>();
              long index = 0;
              while (it.hasNext()) {
                InternalRow row = it.next();
                String id = reader.id(row, partition, index);
                reader.readVector(row, dims, v, 0, partition, index);
                long order =
                    reader.hasOrder()
                        ? reader.order(row, partition, index)
                        : offsets[partition] + index;
                HierarchicalSomModel.Placement p = m.place(v);
                out.add(RowFactory.create(id, Seqs.of(p.cells()), p.leafDistance(), order));
                index++;
              }
              return out.iterator();
            },
            true);
    Dataset<Row> placed = spark.createDataFrame(placedRows, PLACED).persist(storageLevel);
    long count;
    try {
      count = SparkErrors.run(placed::count, () -> VectorBlocks.partitionSizes(internal));
    } catch (RuntimeException e) {
      placed.unpersist();
      shared.destroy();
      throw e;
    }
    if (count == 0) {
      placed.unpersist();
      shared.destroy();
      throw new IllegalArgumentException("the data set has no POIs to assign");
    }
    try {
      refuseRepeats(placed, "poi_id", "POI '%s'", "it appears %d times in the data set");
      if (reader.hasOrder()) {
        refuseRepeats(
            placed, "order", "row with order value %s", "the order value appears on %d rows");
      }
    } catch (RuntimeException e) {
      placed.unpersist();
      shared.destroy();
      throw e;
    }
    Dataset<Row> slotted =
        placed.withColumn(
            "slot",
            row_number()
                .over(Window.partitionBy(col("cells")).orderBy(col("leaf_distance"), col("order")))
                .minus(1));
    List<org.refinepoi.core.sid.LatticeSpec> levels = List.copyOf(model.idSpace().levels());
    Dataset<Row> ids =
        slotted
            .select(col("poi_id"), col("cells"), col("slot"), col("leaf_distance"))
            .mapPartitions(
                (org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>)
                    it -> new Rendered(it, levels),
                Encoders.row(SCHEMA));
    return new SemanticIdAssignment(
        model,
        ids,
        count,
        () -> {
          placed.unpersist();
          shared.destroy();
        });
  }

  /** Adds the rendered tokens to each (poi_id, cells, slot, leaf_distance) row. */
  private static final class Rendered implements java.util.Iterator<Row> {
    private final java.util.Iterator<Row> rows;
    private final org.refinepoi.core.sid.IdFormat format;

    Rendered(java.util.Iterator<Row> rows, List<org.refinepoi.core.sid.LatticeSpec> levels) {
      this.rows = rows;
      this.format =
          org.refinepoi.core.sid.LatticeTokenFormat.of(new org.refinepoi.core.sid.IdSpace(levels));
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Row next() {
      Row r = rows.next();
      List<Integer> cells = r.getList(1);
      int[] c = new int[cells.size()];
      for (int i = 0; i < c.length; i++) {
        c[i] = cells.get(i);
      }
      int slot = r.getInt(2);
      String sid = format.render(org.refinepoi.core.sid.SemanticId.of(c, slot));
      return RowFactory.create(r.getString(0), sid, Seqs.of(c), slot, r.getDouble(3));
    }
  }

  /** Refuses the first value of {@code column} found on more than one row (one aggregation). */
  private static void refuseRepeats(
      Dataset<Row> placed, String column, String rowFormat, String problemFormat) {
    List<Row> repeated =
        placed.groupBy(col(column)).count().filter(col("count").gt(1)).limit(1).collectAsList();
    if (!repeated.isEmpty()) {
      Row r = repeated.get(0);
      throw InvalidRowException.named(
          String.format(java.util.Locale.ROOT, rowFormat, r.get(0)),
          String.format(java.util.Locale.ROOT, problemFormat, r.getLong(1)));
    }
  }

  private static long[] offsets(JavaRDD<InternalRow> internal) {
    long[] sizes = VectorBlocks.partitionSizes(internal);
    long[] offsets = new long[sizes.length];
    long total = 0;
    for (int p = 0; p < sizes.length; p++) {
      offsets[p] = total;
      total += sizes[p];
    }
    return offsets;
  }

  /** Builds a {@link SparkSemanticIds}; see the class comment for the defaults. */
  public static final class Builder {
    private final HierarchicalSomModel model;
    private String idColumn = "poi_id";
    private String vectorColumn = "vector";
    private String orderColumn;
    private StorageLevel storageLevel = StorageLevel.MEMORY_AND_DISK();

    private Builder(HierarchicalSomModel model) {
      this.model = model;
    }

    /** The POI id column, a string (default {@code poi_id}). */
    public Builder idColumn(String column) {
      this.idColumn = checkColumn(column);
      return this;
    }

    /** The vector column (default {@code vector}). */
    public Builder vectorColumn(String column) {
      this.vectorColumn = checkColumn(column);
      return this;
    }

    /** An integer column of distinct values giving the row order for ties (default none). */
    public Builder orderColumn(String column) {
      this.orderColumn = checkColumn(column);
      return this;
    }

    /** How the placements are cached (default {@code MEMORY_AND_DISK}). */
    public Builder storageLevel(StorageLevel value) {
      this.storageLevel = checkNotNull(value, "storageLevel");
      return this;
    }

    private static String checkColumn(String column) {
      checkNotNull(column, "column");
      checkArgument(!column.isBlank(), "column name must not be blank");
      return column;
    }

    /** The assigner. */
    public SparkSemanticIds build() {
      return new SparkSemanticIds(this);
    }
  }
}
