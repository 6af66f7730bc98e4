package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * How a session's samples use device memory: resident (all rows uploaded once) or streamed in
 * chunks of {@link #chunkRows()} rows through two device buffers (double-buffered: the next chunk
 * is copied while the current one is processed).
 *
 * @param resident whether all rows stay on the device
 * @param chunkRows rows per chunk (equal to N when resident)
 * @param chunks number of chunks per pass over the data
 */
record ChunkPlan(boolean resident, int chunkRows, int chunks) {

  /** Rows per chunk are a multiple of this, so BMU blocks never straddle chunks unevenly. */
  static final int ROW_QUANTUM = LaunchPlanner.BMU_SAMPLES_PER_BLOCK;

  /**
   * Largest chunk when streaming (each of the two device buffers and each pinned host buffer):
   * large enough that a copy (about 10 ms over PCIe) overlaps one chunk's kernels, small enough
   * that page-locked host memory stays modest.
   */
  static final long MAX_CHUNK_BYTES = 256L << 20;

  /** Validates the plan. */
  ChunkPlan {
    checkArgument(chunkRows >= 1 && chunks >= 1, "chunkRows and chunks must be >= 1");
  }

  /**
   * Plans for {@code n} rows of {@code d} floats given a device-memory budget in bytes for the
   * sample rows (what is left after the per-sample result arrays and the codebook-sized buffers).
   * Resident when {@code n * d * 4 <= budget}; otherwise two chunk buffers share the budget, each
   * at most {@link #MAX_CHUNK_BYTES}.
   *
   * @throws IllegalArgumentException when not even two chunks of {@link #ROW_QUANTUM} rows fit
   */
  static ChunkPlan plan(int n, int d, long budgetBytes) {
    checkArgument(n >= 1 && d >= 1, "n and d must be >= 1, got %s, %s", n, d);
    long rowBytes = (long) d * Float.BYTES;
    if ((long) n * rowBytes <= budgetBytes) {
      return new ChunkPlan(true, n, 1);
    }
    long rowsPerBuffer = Math.min(budgetBytes / 2, MAX_CHUNK_BYTES) / rowBytes;
    rowsPerBuffer = (rowsPerBuffer / ROW_QUANTUM) * ROW_QUANTUM;
    checkArgument(
        rowsPerBuffer >= ROW_QUANTUM,
        "device memory budget of %s bytes cannot hold two chunks of %s rows of %s features",
        budgetBytes,
        ROW_QUANTUM,
        d);
    int rows = (int) Math.min(rowsPerBuffer, n);
    int chunks = (int) ((n + (long) rows - 1) / rows);
    return new ChunkPlan(false, rows, chunks);
  }

  /** First row of a chunk. */
  int start(int chunk) {
    return chunk * chunkRows;
  }

  /** Number of rows of a chunk (the last one may be shorter). */
  int rows(int chunk, int n) {
    return Math.min(chunkRows, n - start(chunk));
  }
}
