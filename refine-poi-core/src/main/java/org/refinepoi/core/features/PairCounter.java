package org.refinepoi.core.features;

import java.util.Arrays;

/**
 * Counts unordered pairs of POIs (i < j) in memory proportional to the number of distinct pairs:
 * keys collect in a fixed buffer that is sorted and merged into the running counts whenever it
 * fills up.
 */
final class PairCounter {

  private static final int DEFAULT_BUFFER = 1 << 22;

  private final long n;
  private final int maxBuffer;
  private long[] buffer;
  private int buffered;
  private long[] keys = new long[0];
  private long[] counts = new long[0];

  PairCounter(int n) {
    this(n, DEFAULT_BUFFER);
  }

  /** A counter whose key buffer holds at most {@code maxBuffer} keys before merging. */
  PairCounter(int n, int maxBuffer) {
    this.n = n;
    this.maxBuffer = maxBuffer;
    this.buffer = new long[Math.min(maxBuffer, 1 << 12)];
  }

  void add(int i, int j) {
    if (i == j) {
      return;
    }
    long key = i < j ? i * n + j : j * n + i;
    if (buffered == buffer.length) {
      if (buffer.length < maxBuffer) {
        buffer = Arrays.copyOf(buffer, Math.min(maxBuffer, buffer.length * 2));
      } else {
        flush();
      }
    }
    buffer[buffered++] = key;
  }

  private void flush() {
    if (buffered == 0) {
      return;
    }
    Arrays.sort(buffer, 0, buffered);
    long[] mergedKeys = new long[keys.length + buffered];
    long[] mergedCounts = new long[keys.length + buffered];
    int a = 0;
    int b = 0;
    int m = 0;
    while (a < keys.length || b < buffered) {
      long next;
      if (b >= buffered || (a < keys.length && keys[a] <= buffer[b])) {
        next = keys[a];
      } else {
        next = buffer[b];
      }
      long count = 0;
      while (a < keys.length && keys[a] == next) {
        count += counts[a++];
      }
      while (b < buffered && buffer[b] == next) {
        count++;
        b++;
      }
      mergedKeys[m] = next;
      mergedCounts[m++] = count;
    }
    keys = Arrays.copyOf(mergedKeys, m);
    counts = Arrays.copyOf(mergedCounts, m);
    buffered = 0;
  }

  /** The symmetric count matrix (both (i, j) and (j, i) stored), rows sorted by column. */
  CsrMatrix toSymmetricCsr() {
    flush();
    return symmetricCsr((int) n, keys, counts);
  }

  /**
   * The symmetric matrix of unordered pair counts given as sorted, distinct keys {@code i * n + j}
   * ({@code i < j}) with their counts: both (i, j) and (j, i) stored, rows sorted by column.
   */
  static CsrMatrix symmetricCsr(int size, long[] keys, long[] counts) {
    long n = size;
    int[] rowCount = new int[size + 1];
    for (long key : keys) {
      rowCount[(int) (key / n)]++;
      rowCount[(int) (key % n)]++;
    }
    int[] rowStart = new int[size + 1];
    for (int i = 0; i < size; i++) {
      rowStart[i + 1] = rowStart[i] + rowCount[i];
    }
    int[] fill = Arrays.copyOf(rowStart, size);
    int[] columns = new int[rowStart[size]];
    double[] values = new double[rowStart[size]];
    // Keys are sorted by (i, j) with i < j, so row r first receives its (i, r) entries in
    // ascending i (all i < r), then its (r, x) entries in ascending x: rows come out sorted. The
    // insertion sort below only confirms it (linear on sorted input).
    for (int e = 0; e < keys.length; e++) {
      int i = (int) (keys[e] / n);
      int j = (int) (keys[e] % n);
      columns[fill[i]] = j;
      values[fill[i]++] = counts[e];
      columns[fill[j]] = i;
      values[fill[j]++] = counts[e];
    }
    for (int i = 0; i < size; i++) {
      sortRow(columns, values, rowStart[i], rowStart[i + 1]);
    }
    return new CsrMatrix(size, rowStart, columns, values);
  }

  private static void sortRow(int[] columns, double[] values, int from, int to) {
    // Insertion sort: rows arrive sorted, so this is a linear check.
    for (int x = from + 1; x < to; x++) {
      int c = columns[x];
      double v = values[x];
      int y = x - 1;
      while (y >= from && columns[y] > c) {
        columns[y + 1] = columns[y];
        values[y + 1] = values[y];
        y--;
      }
      columns[y + 1] = c;
      values[y + 1] = v;
    }
  }
}
