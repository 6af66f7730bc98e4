package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The 64-bit fixed-point format of per-unit sums: a value {@code v} is added as {@code round(v *
 * 2^bits)} (round half to even). Integer addition is associative and commutative, so sums formed in
 * any order, by any number of threads, GPU atomics or machines, have the same bits; with {@code
 * bits >= 24} they are finer than float. {@code bits} is chosen so that no sum can overflow: {@code
 * n * maxAbs * 2^bits < 2^62}. The CUDA backend's device sums and the Java backend's host sums use
 * this one rule.
 */
public final class FixedPoint {

  /** The most fractional bits used (resolution 2^-40 ~ 1e-12). */
  public static final int MAX_BITS = 40;

  private FixedPoint() {}

  /**
   * The number of fractional bits for {@code n} summands of magnitude at most {@code maxAbs}.
   *
   * @throws IllegalArgumentException when even 0 fractional bits would overflow (values near
   *     float's maximum), or the input is not finite
   */
  public static int bits(long n, double maxAbs) {
    checkArgument(n >= 1, "n must be >= 1, got %s", n);
    checkArgument(Double.isFinite(maxAbs) && maxAbs >= 0, "maxAbs must be finite, got %s", maxAbs);
    // Worst-case |sum| <= n * maxAbs; keep it below 2^62 (one bit of margin under the sign bit).
    int nBits = 64 - Long.numberOfLeadingZeros(n); // n < 2^nBits
    int magBits = maxAbs == 0 ? 0 : Math.max(0, Math.getExponent(maxAbs) + 1); // maxAbs < 2^magBits
    int bits = Math.min(MAX_BITS, 62 - nBits - magBits);
    checkArgument(
        bits >= 0,
        "values up to %s over %s samples overflow the 64-bit sums; rescale the data",
        maxAbs,
        (Object) n);
    return bits;
  }

  /** The largest absolute value of an array (0 for an empty one). */
  public static float maxAbs(float[] values) {
    checkNotNull(values, "values");
    float m = 0;
    for (float v : values) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /**
   * The largest absolute value of each column of a row-major array.
   *
   * @param values row-major, {@code values.length} a multiple of {@code cols}
   * @param cols number of columns, >= 1
   */
  public static float[] columnMaxAbs(float[] values, int cols) {
    checkNotNull(values, "values");
    checkArgument(cols >= 1 && values.length % cols == 0, "values do not hold whole rows");
    float[] out = new float[cols];
    for (int i = 0; i < values.length; i += cols) {
      for (int c = 0; c < cols; c++) {
        out[c] = Math.max(out[c], Math.abs(values[i + c]));
      }
    }
    return out;
  }

  /**
   * A value in fixed point: {@code round(value * 2^bits)}, ties to even (the device's {@code
   * __float2ll_rn}). The product is exact (a power-of-two scaling), so only the rounding to an
   * integer loses anything.
   */
  public static long toFixed(double value, int bits) {
    return (long) Math.rint(Math.scalb(value, bits));
  }

  /** A fixed-point value back as a double: {@code fixed * 2^-bits}. */
  public static double toDouble(long fixed, int bits) {
    return Math.scalb((double) fixed, -bits);
  }
}
