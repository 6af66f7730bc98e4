package org.refinepoi.core.features;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A sparse square matrix in compressed sparse row form with double values, just what the co-visit
 * embedding needs: products with a block of dense columns, plain and transposed.
 */
final class CsrMatrix {

  final int size;
  final int[] rowStart;
  final int[] columns;
  final double[] values;

  CsrMatrix(int size, int[] rowStart, int[] columns, double[] values) {
    checkArgument(rowStart.length == size + 1, "rowStart needs size + 1 entries");
    checkArgument(columns.length == values.length, "columns and values differ in length");
    checkArgument(rowStart[size] == values.length, "rowStart[size] must equal the entry count");
    this.size = size;
    this.rowStart = rowStart;
    this.columns = columns;
    this.values = values;
  }

  /** Number of stored entries. */
  int nonZeros() {
    return values.length;
  }

  /** A dense copy, row-major, for tests and tiny matrices. */
  double[][] toDense() {
    double[][] dense = new double[size][size];
    for (int i = 0; i < size; i++) {
      for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
        dense[i][columns[e]] += values[e];
      }
    }
    return dense;
  }

  /** A CSR copy of a dense square matrix, keeping the non-zero entries. */
  static CsrMatrix ofDense(double[][] dense) {
    int n = dense.length;
    int nnz = 0;
    for (double[] row : dense) {
      checkArgument(row.length == n, "matrix must be square");
      for (double v : row) {
        nnz += v != 0 ? 1 : 0;
      }
    }
    int[] rowStart = new int[n + 1];
    int[] columns = new int[nnz];
    double[] values = new double[nnz];
    int e = 0;
    for (int i = 0; i < n; i++) {
      rowStart[i] = e;
      for (int j = 0; j < n; j++) {
        if (dense[i][j] != 0) {
          columns[e] = j;
          values[e++] = dense[i][j];
        }
      }
    }
    rowStart[n] = e;
    return new CsrMatrix(n, rowStart, columns, values);
  }

  /** {@code A X} for X given as columns ({@code x[c][row]}). */
  double[][] times(double[][] x) {
    int k = x.length;
    double[][] out = new double[k][size];
    double[] acc = new double[k];
    for (int i = 0; i < size; i++) {
      java.util.Arrays.fill(acc, 0);
      for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
        int j = columns[e];
        double v = values[e];
        for (int c = 0; c < k; c++) {
          acc[c] += v * x[c][j];
        }
      }
      for (int c = 0; c < k; c++) {
        out[c][i] = acc[c];
      }
    }
    return out;
  }

  /** {@code A^T X} for X given as columns. */
  double[][] transposeTimes(double[][] x) {
    int k = x.length;
    double[][] out = new double[k][size];
    double[] xi = new double[k];
    for (int i = 0; i < size; i++) {
      for (int c = 0; c < k; c++) {
        xi[c] = x[c][i];
      }
      for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
        int j = columns[e];
        double v = values[e];
        for (int c = 0; c < k; c++) {
          out[c][j] += v * xi[c];
        }
      }
    }
    return out;
  }
}
