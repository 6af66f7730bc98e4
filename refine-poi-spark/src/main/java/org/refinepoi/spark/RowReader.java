package org.refinepoi.spark;

import java.io.Serial;
import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the columns the SDK needs (a vector, optionally a POI id and an order key) from the
 * internal rows of a projection {@code select(vector[, id][, order])}, and names a row in error
 * messages: by POI id, else by order value, else by its place in its partition.
 */
final class RowReader implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private final VectorColumn vector;
  private final String idColumn;
  private final String orderColumn;
  private final int orderBytes;
  private final int idOrdinal;
  private final int orderOrdinal;

  private RowReader(StructType schema, String vectorColumn, String idColumn, String orderColumn) {
    this.vector = VectorColumn.of(schema, vectorColumn);
    this.idColumn = idColumn;
    this.orderColumn = orderColumn;
    if (idColumn != null) {
      Columns.requireString(schema, idColumn, "POI id");
    }
    if (orderColumn != null) {
      Columns.requireIntegral(schema, orderColumn, "order");
    }
    this.orderBytes = orderColumn == null ? 0 : schema.apply(orderColumn).dataType().defaultSize();
    int next = 1;
    this.idOrdinal = idColumn == null ? -1 : next++;
    this.orderOrdinal = orderColumn == null ? -1 : next;
  }

  /**
   * A reader for a data set's columns.
   *
   * @param idColumn the POI id column, or null
   * @param orderColumn the order column, or null
   * @throws IllegalArgumentException when a column is missing or of the wrong type
   */
  static RowReader of(Dataset<Row> data, String vectorColumn, String idColumn, String orderColumn) {
    return new RowReader(data.schema(), vectorColumn, idColumn, orderColumn);
  }

  /** The projection whose internal rows this reader reads. */
  Dataset<Row> project(Dataset<Row> data) {
    java.util.List<org.apache.spark.sql.Column> cols = new java.util.ArrayList<>();
    cols.add(data.col(vector.name()));
    if (idColumn != null) {
      cols.add(data.col(idColumn));
    }
    if (orderColumn != null) {
      cols.add(data.col(orderColumn));
    }
    return data.select(cols.toArray(new org.apache.spark.sql.Column[0]));
  }

  VectorColumn vector() {
    return vector;
  }

  boolean hasOrder() {
    return orderColumn != null;
  }

  boolean hasId() {
    return idColumn != null;
  }

  /** The vector's length in a row (-1 when null). */
  int vectorLength(InternalRow row) {
    return vector.length(row, 0);
  }

  /** Reads the vector, failing with the row named. */
  void readVector(InternalRow row, int dims, float[] out, int offset, int partition, long index) {
    String bad = vector.read(row, 0, dims, out, offset);
    if (bad != null) {
      throw invalid(row, partition, index, bad);
    }
  }

  /** The row's order key (fails on a null). */
  long order(InternalRow row, int partition, long index) {
    if (row.isNullAt(orderOrdinal)) {
      throw invalid(row, partition, index, "order column '" + orderColumn + "' is null");
    }
    return switch (orderBytes) {
      case 8 -> row.getLong(orderOrdinal);
      case 4 -> row.getInt(orderOrdinal);
      case 2 -> row.getShort(orderOrdinal);
      default -> row.getByte(orderOrdinal);
    };
  }

  /** The row's POI id (fails on a null or blank one). */
  String id(InternalRow row, int partition, long index) {
    if (row.isNullAt(idOrdinal)) {
      throw invalid(row, partition, index, "POI id column '" + idColumn + "' is null");
    }
    String id = row.getUTF8String(idOrdinal).toString();
    if (id.isBlank()) {
      throw invalid(row, partition, index, "POI id column '" + idColumn + "' is blank");
    }
    return id;
  }

  /** A refusal naming the row as well as this reader can. */
  InvalidRowException invalid(InternalRow row, int partition, long index, String problem) {
    if (idColumn != null && !row.isNullAt(idOrdinal)) {
      String id = row.getUTF8String(idOrdinal).toString();
      if (!id.isBlank()) {
        return InvalidRowException.named("POI '" + id + "'", problem);
      }
    }
    if (orderColumn != null && !row.isNullAt(orderOrdinal)) {
      return InvalidRowException.named(
          "row with " + orderColumn + " = " + order(row, partition, index), problem);
    }
    return InvalidRowException.positional(partition, index, problem);
  }
}
