package org.refinepoi.spark;

import java.io.Serial;
import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Reads a vector column of Spark's internal rows without boxing: {@code array<float>}, {@code
 * array<double>}, or an ML {@code Vector} (Spark ML's {@code VectorUDT}, read through its storage
 * struct {@code (type: byte, size: int, indices: array<int>, values: array<double>)}, so this
 * module needs no Spark ML classes). Every value is checked: a null or non-finite value, or a
 * length other than the expected one, is reported as a problem.
 */
final class VectorColumn implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private static final String ML_VECTOR_UDT = "org.apache.spark.ml.linalg.VectorUDT";

  enum Kind {
    FLOATS,
    DOUBLES,
    ML_VECTOR
  }

  private final String name;
  private final Kind kind;

  private VectorColumn(String name, Kind kind) {
    this.name = name;
    this.kind = kind;
  }

  /**
   * The reader for a column of a schema.
   *
   * @throws IllegalArgumentException when the column is missing or of another type
   */
  static VectorColumn of(StructType schema, String column) {
    Columns.require(schema, column, "vector");
    DataType t = schema.apply(column).dataType();
    if (t instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType)) {
      return new VectorColumn(column, Kind.FLOATS);
    }
    if (t instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType)) {
      return new VectorColumn(column, Kind.DOUBLES);
    }
    if (t instanceof UserDefinedType<?> u && u.getClass().getName().equals(ML_VECTOR_UDT)) {
      return new VectorColumn(column, Kind.ML_VECTOR);
    }
    throw new IllegalArgumentException(
        "column '"
            + column
            + "' is "
            + t.simpleString()
            + "; a vector column must be array<float>, array<double> or a Spark ML Vector");
  }

  String name() {
    return name;
  }

  /** The length of the vector in a row, or -1 when it is null. */
  int length(InternalRow row, int ordinal) {
    if (row.isNullAt(ordinal)) {
      return -1;
    }
    return switch (kind) {
      case FLOATS, DOUBLES -> row.getArray(ordinal).numElements();
      case ML_VECTOR -> {
        InternalRow v = row.getStruct(ordinal, 4);
        yield v.getByte(0) == 0 ? v.getInt(1) : v.getArray(3).numElements();
      }
    };
  }

  /**
   * Copies the row's vector into {@code out[offset..offset+dims)}.
   *
   * @return null, or what is wrong with the vector
   */
  String read(InternalRow row, int ordinal, int dims, float[] out, int offset) {
    if (row.isNullAt(ordinal)) {
      return "vector column '" + name + "' is null";
    }
    return switch (kind) {
      case FLOATS -> {
        ArrayData a = row.getArray(ordinal);
        String bad = checkLength(a.numElements(), dims);
        if (bad != null) {
          yield bad;
        }
        for (int j = 0; j < dims; j++) {
          if (a.isNullAt(j)) {
            yield "vector value " + j + " is null";
          }
          float v = a.getFloat(j);
          if (!Float.isFinite(v)) {
            yield "vector value " + j + " is " + v;
          }
          out[offset + j] = v;
        }
        yield null;
      }
      case DOUBLES -> {
        ArrayData a = row.getArray(ordinal);
        String bad = checkLength(a.numElements(), dims);
        yield bad != null ? bad : readDoubles(a, dims, out, offset);
      }
      case ML_VECTOR -> readMlVector(row.getStruct(ordinal, 4), dims, out, offset);
    };
  }

  private String checkLength(int length, int dims) {
    return length == dims
        ? null
        : "vector column '" + name + "' has " + length + " values, expected " + dims;
  }

  private static String readDoubles(ArrayData a, int dims, float[] out, int offset) {
    for (int j = 0; j < dims; j++) {
      if (a.isNullAt(j)) {
        return "vector value " + j + " is null";
      }
      String bad = put(a.getDouble(j), j, out, offset);
      if (bad != null) {
        return bad;
      }
    }
    return null;
  }

  private String readMlVector(InternalRow v, int dims, float[] out, int offset) {
    ArrayData values = v.getArray(3);
    if (v.getByte(0) != 0) {
      String bad = checkLength(values.numElements(), dims);
      return bad != null ? bad : readDoubles(values, dims, out, offset);
    }
    String bad = checkLength(v.getInt(1), dims);
    if (bad != null) {
      return bad;
    }
    java.util.Arrays.fill(out, offset, offset + dims, 0f);
    ArrayData indices = v.getArray(2);
    for (int e = 0; e < indices.numElements(); e++) {
      int j = indices.getInt(e);
      if (j < 0 || j >= dims) {
        return "sparse vector index " + j + " is outside [0, " + dims + ")";
      }
      bad = put(values.getDouble(e), j, out, offset);
      if (bad != null) {
        return bad;
      }
    }
    return null;
  }

  private static String put(double value, int j, float[] out, int offset) {
    float f = (float) value;
    if (!Float.isFinite(f)) {
      return "vector value "
          + j
          + " is "
          + value
          + (Double.isFinite(value) ? " (beyond float)" : "");
    }
    out[offset + j] = f;
    return null;
  }
}
