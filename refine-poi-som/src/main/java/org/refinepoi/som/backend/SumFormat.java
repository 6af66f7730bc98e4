package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import org.refinepoi.core.math.FloatMatrix;

/**
 * The fixed-point layout of one map's per-unit sums ({@link FixedPointSums}): the fractional bits
 * of each feature column, from the number of samples and the column's largest magnitude ({@link
 * FixedPoint#bits}). It depends only on the whole training set, never on how it is split, so every
 * partition of a distributed data set and the single-JVM backend use the same format and their sums
 * add up to the same bits. Immutable.
 */
public final class SumFormat implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private final long samples;
  private final float[] columnMaxAbs;
  private final int[] columnBits;
  private final double maxSampleNorm;

  private SumFormat(long samples, float[] columnMaxAbs) {
    this.samples = samples;
    this.columnMaxAbs = columnMaxAbs;
    this.columnBits = new int[columnMaxAbs.length];
    double sq = 0;
    for (int c = 0; c < columnMaxAbs.length; c++) {
      columnBits[c] = FixedPoint.bits(samples, columnMaxAbs[c]);
      sq += (double) columnMaxAbs[c] * columnMaxAbs[c];
    }
    this.maxSampleNorm = Math.sqrt(sq);
  }

  /**
   * The format for {@code samples} rows whose column {@code c} never exceeds {@code
   * columnMaxAbs[c]} in magnitude.
   *
   * @throws IllegalArgumentException when there are no samples or columns, a bound is negative or
   *     not finite, or the values are too large for 64-bit sums
   */
  public static SumFormat of(long samples, float[] columnMaxAbs) {
    checkNotNull(columnMaxAbs, "columnMaxAbs");
    checkArgument(samples >= 1, "samples must be >= 1, got %s", samples);
    checkArgument(columnMaxAbs.length >= 1, "at least one column");
    for (float v : columnMaxAbs) {
      checkArgument(
          Float.isFinite(v) && v >= 0, "column bounds must be finite and >= 0, got %s", v);
    }
    return new SumFormat(samples, columnMaxAbs.clone());
  }

  /** The format of a whole training matrix. */
  public static SumFormat of(FloatMatrix data) {
    checkNotNull(data, "data");
    return new SumFormat(data.rows(), FixedPoint.columnMaxAbs(data.unsafeData(), data.cols()));
  }

  /** Number of samples of the training set. */
  public long samples() {
    return samples;
  }

  /** Number of feature columns D. */
  public int dims() {
    return columnBits.length;
  }

  /** The fractional bits of a column's sums. */
  public int bits(int column) {
    return columnBits[column];
  }

  /** A copy of the largest magnitude of each column. */
  public float[] columnMaxAbs() {
    return columnMaxAbs.clone();
  }

  /**
   * The fractional bits of the total squared quantization error against a codebook: the per-sample
   * bound is {@code (max sample norm + max prototype norm)^2}, doubled for float rounding. May be
   * negative (coarser than integers) for data of very large magnitude: the error is monitoring
   * only, so it is scaled down rather than refused.
   */
  int errorBits(FloatMatrix codebook) {
    float[] w = codebook.unsafeData();
    int d = codebook.cols();
    double maxNorm = 0;
    for (int j = 0; j < codebook.rows(); j++) {
      double s = 0;
      for (int c = 0; c < d; c++) {
        s += (double) w[j * d + c] * w[j * d + c];
      }
      maxNorm = Math.max(maxNorm, Math.sqrt(s));
    }
    double bound = 2 * (maxSampleNorm + maxNorm) * (maxSampleNorm + maxNorm);
    int nBits = 64 - Long.numberOfLeadingZeros(samples);
    int magBits = bound == 0 ? 0 : Math.getExponent(bound) + 1;
    return Math.min(FixedPoint.MAX_BITS, 62 - nBits - magBits);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SumFormat f
        && samples == f.samples
        && Arrays.equals(columnMaxAbs, f.columnMaxAbs);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(samples) + Arrays.hashCode(columnMaxAbs);
  }

  @Override
  public String toString() {
    return "SumFormat[samples=" + samples + ", bits=" + Arrays.toString(columnBits) + "]";
  }
}
