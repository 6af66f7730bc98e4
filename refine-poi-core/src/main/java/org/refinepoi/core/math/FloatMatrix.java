package org.refinepoi.core.math;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * A dense, row-major float32 matrix: the currency between features, SOM backends and {@code .npy}
 * files. Immutable: the factories copy their input, and {@link #row} returns a copy. Hot loops that
 * must not copy read {@link #unsafeData()}, which they must not modify.
 */
public final class FloatMatrix implements java.io.Serializable {

  @java.io.Serial private static final long serialVersionUID = 1L;

  // Never serialized as fields: writeReplace sends a copy that wrap() validates on the way back.
  private final transient int rows;
  private final transient int cols;
  private final transient float[] data;

  private FloatMatrix(int rows, int cols, float[] data) {
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /**
   * Wraps a copy of row-major data, rejecting NaN and infinite values (with the position).
   *
   * @throws IllegalArgumentException on a size mismatch, an empty shape or a non-finite value
   */
  public static FloatMatrix of(int rows, int cols, float[] rowMajor) {
    checkNotNull(rowMajor, "rowMajor");
    checkArgument(rows >= 1 && cols >= 1, "matrix needs rows, cols >= 1, got %sx%s", rows, cols);
    checkArgument(
        (long) rows * cols == rowMajor.length,
        "a %sx%s matrix needs %s values, got %s",
        rows,
        cols,
        (long) rows * cols,
        rowMajor.length);
    float[] copy = rowMajor.clone();
    checkFinite(rows, cols, copy);
    return new FloatMatrix(rows, cols, copy);
  }

  /** A matrix from rows of equal length (copied; non-finite values rejected). */
  public static FloatMatrix ofRows(float[][] rows) {
    checkNotNull(rows, "rows");
    checkArgument(rows.length >= 1, "matrix needs at least one row");
    int cols = rows[0].length;
    float[] data = new float[Math.multiplyExact(rows.length, cols)];
    for (int r = 0; r < rows.length; r++) {
      checkArgument(
          rows[r].length == cols, "row %s has %s values, row 0 has %s", r, rows[r].length, cols);
      System.arraycopy(rows[r], 0, data, r * cols, cols);
    }
    return of(rows.length, cols, data);
  }

  /**
   * Takes ownership of an array without copying: for producers inside the SDK that just built it
   * and will not touch it again. Values are still checked for being finite.
   */
  public static FloatMatrix wrap(int rows, int cols, float[] rowMajor) {
    checkNotNull(rowMajor, "rowMajor");
    checkArgument(rows >= 1 && cols >= 1, "matrix needs rows, cols >= 1, got %sx%s", rows, cols);
    checkArgument(
        (long) rows * cols == rowMajor.length,
        "a %sx%s matrix needs %s values, got %s",
        rows,
        cols,
        (long) rows * cols,
        rowMajor.length);
    checkFinite(rows, cols, rowMajor);
    return new FloatMatrix(rows, cols, rowMajor);
  }

  private static void checkFinite(int rows, int cols, float[] data) {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw new IllegalArgumentException(
            "matrix value at row %d, column %d is %s; inputs must be finite"
                .formatted(i / cols, i % cols, data[i]));
      }
    }
  }

  /** Serialized as (rows, cols, values); {@link #wrap} checks them again when read back. */
  @java.io.Serial
  private Object writeReplace() {
    return new SerializedForm(rows, cols, data);
  }

  @java.io.Serial
  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a FloatMatrix is read from its serialized form");
  }

  private record SerializedForm(int rows, int cols, float[] data) implements java.io.Serializable {
    @java.io.Serial
    private Object readResolve() {
      return wrap(rows, cols, data);
    }
  }

  /** Number of rows. */
  public int rows() {
    return rows;
  }

  /** Number of columns. */
  public int cols() {
    return cols;
  }

  /** One value. */
  public float get(int row, int col) {
    checkElementIndex(row, rows, "row");
    checkElementIndex(col, cols, "col");
    return data[row * cols + col];
  }

  /** A copy of one row. */
  public float[] row(int row) {
    checkElementIndex(row, rows, "row");
    return Arrays.copyOfRange(data, row * cols, (row + 1) * cols);
  }

  /** A copy of the row-major data. */
  public float[] toArray() {
    return data.clone();
  }

  /**
   * The backing row-major array, not copied, for hot loops and native transfers. Callers must not
   * modify it.
   */
  public float[] unsafeData() {
    return data;
  }

  /** A new matrix holding the given rows, in the given order. */
  public FloatMatrix selectRows(int[] rowIndices) {
    checkNotNull(rowIndices, "rowIndices");
    checkArgument(rowIndices.length >= 1, "select at least one row");
    float[] out = new float[Math.multiplyExact(rowIndices.length, cols)];
    for (int i = 0; i < rowIndices.length; i++) {
      checkElementIndex(rowIndices[i], rows, "row");
      System.arraycopy(data, rowIndices[i] * cols, out, i * cols, cols);
    }
    return new FloatMatrix(rowIndices.length, cols, out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatMatrix m
        && rows == m.rows
        && cols == m.cols
        && Arrays.equals(data, m.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatMatrix[" + rows + "x" + cols + "]";
  }
}
