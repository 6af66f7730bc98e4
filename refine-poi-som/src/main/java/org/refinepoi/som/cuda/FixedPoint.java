package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The 64-bit fixed-point format of the device's per-unit sums: a value {@code v} is added as {@code
 * round(v * 2^bits)}. Integer addition is associative, so the sums do not depend on the order in
 * which thousands of threads' atomics land (deterministic), and with {@code bits >= 24} they are
 * finer than float. {@code bits} is chosen so that no sum can overflow: {@code n * maxAbs * 2^bits
 * < 2^62}.
 */
final class FixedPoint {

  /** The most fractional bits used (resolution 2^-40 ~ 1e-12). */
  static final int MAX_BITS = 40;

  private FixedPoint() {}

  /**
   * The number of fractional bits for {@code n} summands of magnitude at most {@code maxAbs}.
   *
   * @throws IllegalArgumentException when even 0 fractional bits would overflow (values near
   *     float's maximum), or the input is not finite
   */
  static int bits(long n, double maxAbs) {
    checkArgument(n >= 1, "n must be >= 1, got %s", n);
    checkArgument(Double.isFinite(maxAbs) && maxAbs >= 0, "maxAbs must be finite, got %s", maxAbs);
    // Worst-case |sum| <= n * maxAbs; keep it below 2^62 (one bit of margin under the sign bit).
    int nBits = 64 - Long.numberOfLeadingZeros(n); // n < 2^nBits
    int magBits = maxAbs == 0 ? 0 : Math.max(0, Math.getExponent(maxAbs) + 1); // maxAbs < 2^magBits
    int bits = Math.min(MAX_BITS, 62 - nBits - magBits);
    checkArgument(
        bits >= 0,
        "values up to %s over %s samples overflow the 64-bit device sums; rescale the data",
        maxAbs,
        (Object) n);
    return bits;
  }

  /** The largest absolute value of an array (0 for an empty one). */
  static float maxAbs(float[] values) {
    float m = 0;
    for (float v : values) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
