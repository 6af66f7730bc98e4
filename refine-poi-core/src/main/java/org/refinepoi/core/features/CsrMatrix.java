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
    // Row-major copies keep the k values of a row contiguous for the inner loop.
    double[] xr = rowMajor(x, size);
    double[] out = new double[size * k];
    for (int i = 0; i < size; i++) {
      int outBase = i * k;
      for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
        int base = columns[e] * k;
        double v = values[e];
        for (int c = 0; c < k; c++) {
          out[outBase + c] += v * xr[base + c];
        }
      }
    }
    return columnsOf(out, k, size);
  }

  /** {@code A^T X} for X given as columns. */
  double[][] transposeTimes(double[][] x) {
    int k = x.length;
    double[] xr = rowMajor(x, size);
    double[] out = new double[size * k];
    for (int i = 0; i < size; i++) {
      int base = i * k;
      for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
        int outBase = columns[e] * k;
        double v = values[e];
        for (int c = 0; c < k; c++) {
          out[outBase + c] += v * xr[base + c];
        }
      }
    }
    return columnsOf(out, k, size);
  }

  private static double[] rowMajor(double[][] columns, int rows) {
    int k = columns.length;
    double[] out = new double[rows * k];
    for (int c = 0; c < k; c++) {
      double[] column = columns[c];
      for (int i = 0; i < rows; i++) {
        out[i * k + c] = column[i];
      }
    }
    return out;
  }

  private static double[][] columnsOf(double[] rowMajor, int k, int rows) {
    double[][] out = new double[k][rows];
    for (int i = 0; i < rows; i++) {
      for (int c = 0; c < k; c++) {
        out[c][i] = rowMajor[i * k + c];
      }
    }
    return out;
  }
}
