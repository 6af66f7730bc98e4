package org.refinepoi.spark;

import java.util.Arrays;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Checks of input columns at the API boundary. */
final class Columns {

  private Columns() {}

  /**
   * Fails unless the schema has the column.
   *
   * @param role what the column is for, for the message
   */
  static void require(StructType schema, String column, String role) {
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException(
          "no "
              + role
              + " column '"
              + column
              + "' in the data set; its columns are "
              + Arrays.toString(schema.fieldNames()));
    }
  }

  /** Fails unless the column is an integral type (long, int, short or byte). */
  static void requireIntegral(StructType schema, String column, String role) {
    require(schema, column, role);
    DataType t = schema.apply(column).dataType();
    if (!(t.equals(DataTypes.LongType)
        || t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.ShortType)
        || t.equals(DataTypes.ByteType))) {
      throw new IllegalArgumentException(
          role
              + " column '"
              + column
              + "' is "
              + t.simpleString()
              + "; it must be an integer type");
    }
  }

  /** Fails unless the column is a string. */
  static void requireString(StructType schema, String column, String role) {
    require(schema, column, role);
    DataType t = schema.apply(column).dataType();
    if (!t.equals(DataTypes.StringType)) {
      throw new IllegalArgumentException(
          role + " column '" + column + "' is " + t.simpleString() + "; it must be a string");
    }
  }

  /** Fails unless the column is numeric. */
  static void requireNumeric(StructType schema, String column, String role) {
    require(schema, column, role);
    DataType t = schema.apply(column).dataType();
    if (!(t instanceof org.apache.spark.sql.types.NumericType)) {
      throw new IllegalArgumentException(
          role + " column '" + column + "' is " + t.simpleString() + "; it must be numeric");
    }
  }
}
