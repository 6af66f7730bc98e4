package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Best-matching units of N samples.
 *
 * @param best the BMU index of each sample (length N)
 * @param bestDistance the Euclidean distance from each sample to its BMU (length N), computed by
 *     the backend (exact differences in the Java backend; backends that use the expanded form clamp
 *     negative rounding to 0)
 * @param second the second-best unit of each sample, or {@code null} when not requested
 */
public record BmuResult(int[] best, float[] bestDistance, int[] second) {

  /** Validates the lengths. */
  public BmuResult {
    checkNotNull(best, "best");
    checkNotNull(bestDistance, "bestDistance");
    checkArgument(best.length == bestDistance.length, "best and bestDistance lengths differ");
    checkArgument(second == null || second.length == best.length, "second has the wrong length");
  }

  /** Number of samples. */
  public int size() {
    return best.length;
  }

  /** The mean of {@link #bestDistance}: the quantization error. */
  public double quantizationError() {
    double s = 0;
    for (float d : bestDistance) {
      s += d;
    }
    return s / bestDistance.length;
  }
}
